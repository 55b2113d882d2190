import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.ts';
import { buildPath, pathSegment } from '../../../src/validation/path.ts';

describe('pathSegment', () => {
  it('encodes every reserved character so a value stays one segment', () => {
    expect(pathSegment('a/b')).toBe('a%2Fb');
    expect(pathSegment('100%')).toBe('100%25');
    expect(pathSegment("it's (x)*!")).toBe('it%27s%20%28x%29%2A%21');
    expect(pathSegment('a?b#c')).toBe('a%3Fb%23c');
    expect(pathSegment('password_based:built_in_database')).toBe('password_based%3Abuilt_in_database');
    expect(pathSegment('grüße')).toBe('gr%C3%BC%C3%9Fe');
  });

  it('keeps colons and at-signs raw when asked (v4 rule ids)', () => {
    expect(pathSegment('rule:1a2b@x', { keepColon: true })).toBe('rule:1a2b@x');
  });
});

describe('buildPath', () => {
  it('fills a template and keeps the literal segments', () => {
    expect(buildPath('/banned/{as}/{who}', { as: 'peerhost_net', who: '10.0.0.0/8' })).toBe(
      '/banned/peerhost_net/10.0.0.0%2F8',
    );
    expect(buildPath('/mqtt/retainer/message/{topic}', { topic: 'a/b/c' })).toBe(
      '/mqtt/retainer/message/a%2Fb%2Fc',
    );
  });

  it.each(['', '.', '..'])('refuses %j as a segment, naming the parameter', (value) => {
    expect(() => buildPath('/clients/{clientid}', { clientid: value })).toThrow(BadUserInputError);
    try {
      buildPath('/clients/{clientid}', { clientid: value });
    } catch (error) {
      expect((error as BadUserInputError).field).toBe('clientid');
    }
  });

  it('encodes %2e%2e so it can never be read as ..', () => {
    expect(buildPath('/clients/{clientid}', { clientid: '%2e%2e' })).toBe('/clients/%252e%252e');
  });

  it('refuses a lone surrogate, which has no UTF-8 form', () => {
    expect(() => buildPath('/clients/{clientid}', { clientid: 'a\ud800' })).toThrow(BadUserInputError);
  });

  it('throws a programming error for a missing parameter', () => {
    expect(() => buildPath('/clients/{clientid}', {})).toThrow(/no value/);
  });
});
