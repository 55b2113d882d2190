import { describe, expect, it } from 'vitest';
import { simPortFromEnv } from '../../../src/simulator/env.ts';

describe('SIM_PORT', () => {
  it('is the fallback when unset or blank', () => {
    expect(simPortFromEnv({}, 8899)).toBe(8899);
    expect(simPortFromEnv({ SIM_PORT: ' ' }, 0)).toBe(0);
  });

  it('is the given port, 0 meaning any free one', () => {
    expect(simPortFromEnv({ SIM_PORT: '18899' }, 8899)).toBe(18899);
    expect(simPortFromEnv({ SIM_PORT: '0' }, 8899)).toBe(0);
  });

  it.each(['eighty', '-1', '65536', '80.5'])('refuses %s, naming the variable', (raw) => {
    expect(() => simPortFromEnv({ SIM_PORT: raw }, 8899)).toThrow(
      `SIM_PORT must be a port number (0-65535), got "${raw}"`,
    );
  });
});
