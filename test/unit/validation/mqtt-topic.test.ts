import { describe, expect, it } from 'vitest';
import { qos, topicFilter, topicName } from '../../../src/validation/mqtt-topic.ts';

const ok = (schema: typeof topicName, value: string) => schema.safeParse(value).success;

describe('topicName', () => {
  it.each(['a', 'a/b', '/a', 'a//b', '$SYS/x', 'grüße/温度', 'x'.repeat(65_535)])('accepts %j', (value) => {
    expect(ok(topicName, value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['+ wildcard', 'a/+/b'],
    ['# wildcard', 'a/#'],
    ['embedded #', 'a#'],
    ['NUL', 'a\u0000b'],
    ['CR/LF', 'a\r\nb'],
    ['lone surrogate', 'a\ud800'],
    ['70 KB', 'x'.repeat(70 * 1024)],
    ['65,536 bytes of multi-byte text', 'é'.repeat(32_768)],
    ['shared subscription', '$share/g/a'],
  ])('refuses %s', (_label, value) => {
    expect(ok(topicName, value)).toBe(false);
  });
});

describe('topicFilter', () => {
  it.each(['a/#', '#', '+', 'a/+/b', '+/+', '$share/g/a/#', '$queue/a/+', 'a/b'])('accepts %j', (value) => {
    expect(ok(topicFilter, value)).toBe(true);
  });

  it.each(['', 'a/#/b', 'a#', 'a+/b', '$share/g', '$share//a', '$share/g+/a', '$queue/', 'a\nb'])(
    'refuses %j',
    (value) => {
      expect(ok(topicFilter, value)).toBe(false);
    },
  );
});

describe('qos', () => {
  it('accepts 0, 1 and 2 only', () => {
    expect([0, 1, 2].every((q) => qos.safeParse(q).success)).toBe(true);
    expect([-1, 3, 1.5].some((q) => qos.safeParse(q).success)).toBe(false);
  });
});
