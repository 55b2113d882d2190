import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadUserInputError } from '../../../src/errors.ts';
import {
  clientId,
  deploymentId,
  hasDotSegment,
  retainedTopic,
  ruleId,
} from '../../../src/validation/identifiers.ts';
import { parseArgs } from '../../../src/validation/parse.ts';

describe('path-bound identifiers', () => {
  it.each(['device-1', 'a/b', 'a b', 'grüße', '100%', 'x'.repeat(1000)])('accepts client ID %j', (value) => {
    expect(clientId.safeParse(value).success).toBe(true);
  });

  it.each(['', '.', '..', '%2e%2e', '%2E.', 'a/../b', '..%2Fadmin', 'a\r\nb', 'a\u0000', 'a\ud800'])(
    'refuses client ID %j',
    (value) => {
      expect(clientId.safeParse(value).success).toBe(false);
    },
  );

  it('sees dot segments behind double encoding', () => {
    expect(hasDotSegment('%252e%252e')).toBe(true);
    expect(hasDotSegment('a.b')).toBe(false);
  });

  it('allows rule ids as v4 and v5 make them, and nothing that needs escaping', () => {
    expect(ruleId.safeParse('rule:7fdb2c9e').success).toBe(true);
    expect(ruleId.safeParse('my_rule-1').success).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', '%2e%2e', 'a b', 'a\nb'])
      expect(ruleId.safeParse(bad).success).toBe(false);
  });

  it('checks deployment ids and retained topics', () => {
    expect(deploymentId.safeParse('a1b2c3d4').success).toBe(true);
    for (const bad of ['a/b', '..', 'A1B2C3D4', 'x']) expect(deploymentId.safeParse(bad).success).toBe(false);
    expect(retainedTopic.safeParse('a/b').success).toBe(true);
    expect(retainedTopic.safeParse('a/../b').success).toBe(false);
    expect(retainedTopic.safeParse('a/+').success).toBe(false);
  });
});

describe('parseArgs', () => {
  it('names the argument path of the first problem', () => {
    const schema = z.object({ input: z.object({ topic: z.string().min(1, 'topic may not be empty') }) });
    try {
      parseArgs(schema, { input: { topic: '' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BadUserInputError);
      expect((error as BadUserInputError).field).toBe('input.topic');
      expect((error as BadUserInputError).message).toBe('input.topic: topic may not be empty');
    }
  });
});
