import { describe, expect, it } from 'vitest';
import { BAN_AS, BAN_KINDS, banKindOf, newBan } from '../../../src/validation/ban.ts';
import { isBase64, payloadBytes, publishMessage } from '../../../src/validation/payload.ts';

describe('publish messages', () => {
  const schema = publishMessage(16);

  it('fills defaults: PLAIN, qos 0, not retained', () => {
    expect(schema.parse({ topic: 't', payload: 'hi' })).toEqual({
      topic: 't',
      payload: 'hi',
      encoding: 'PLAIN',
      qos: 0,
      retain: false,
    });
  });

  it('checks base64 strictly and measures decoded bytes', () => {
    expect(isBase64('aGVsbG8=')).toBe(true);
    for (const bad of ['aGVsbG8', 'aGVs*G8=', '====', 'a']) expect(isBase64(bad)).toBe(false);
    expect(payloadBytes('aGVsbG8=', 'BASE64')).toBe(5);
    expect(payloadBytes('é', 'PLAIN')).toBe(2);
  });

  it('refuses invalid base64, an oversized payload and qos 3, naming the field', () => {
    const issue = (value: unknown) => schema.safeParse(value).error?.issues[0];
    expect(issue({ topic: 't', payload: 'not base64!', encoding: 'BASE64' })?.path).toEqual(['payload']);
    expect(issue({ topic: 't', payload: 'x'.repeat(17) })?.message).toMatch(/limit is 16/);
    expect(
      issue({ topic: 't', payload: Buffer.alloc(17).toString('base64'), encoding: 'BASE64' })?.path,
    ).toEqual(['payload']);
    expect(issue({ topic: 't', payload: 'x', qos: 3 })?.path).toEqual(['qos']);
  });
});

describe('bans', () => {
  const now = () => Date.parse('2030-01-01T00:00:00Z');
  const schema = newBan(now);
  const future = new Date('2030-01-02T00:00:00Z');

  it('maps every kind to an EMQX `as` value and back', () => {
    for (const kind of BAN_KINDS) expect(banKindOf(BAN_AS[kind])).toBe(kind);
    expect(banKindOf('something_new')).toBeUndefined();
  });

  it('checks who per kind', () => {
    const ok = (kind: string, who: string) => schema.safeParse({ kind, who, until: future }).success;
    expect(ok('PEER_HOST', '10.1.2.3')).toBe(true);
    expect(ok('PEER_HOST', '::1')).toBe(true);
    expect(ok('PEER_HOST', 'example.com')).toBe(false);
    expect(ok('PEER_HOST_NET', '10.0.0.0/8')).toBe(true);
    expect(ok('PEER_HOST_NET', '10.0.0.0/33')).toBe(false);
    expect(ok('CLIENT_ID', '..')).toBe(false);
    expect(ok('CLIENT_ID_REGEX', '^dev-[0-9]+$')).toBe(true);
    expect(ok('USERNAME', '')).toBe(false);
  });

  it('wants until in the future', () => {
    const result = schema.safeParse({ kind: 'CLIENT_ID', who: 'c', until: new Date('2029-12-31T00:00:00Z') });
    expect(result.error?.issues[0]?.path).toEqual(['until']);
  });
});
