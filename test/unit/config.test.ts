import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';

const base = () => ({
  platform: {
    apiUrl: 'https://cloud.example/public_api/v1',
    apiKey: '${PLATFORM_KEY}',
    apiSecret: '${PLATFORM_SECRET}',
  },
  deployments: {
    w41b11c0: {
      apiUrl: 'https://w41b11c0.example:8443/api/v5',
      apiKey: 'app-id',
      apiSecret: '${W41_SECRET}',
    },
  },
  auth: { apiKeys: [{ name: 'ops', key: '${DASHBOARD_KEY}', role: 'operator', projects: ['*'] }] },
});
const env = {
  GATEWAY_CONFIG_FILE: 'gateway.json',
  PLATFORM_KEY: 'platform-key-canary',
  PLATFORM_SECRET: 'platform-secret-canary',
  W41_SECRET: 'broker-secret-canary',
  DASHBOARD_KEY: 'dashboard-key-0123456789-canary',
};

const failure = (document: unknown, environment: Record<string, string> = env): string => {
  try {
    parseConfig(document, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration', () => {
  it('interpolates ${NAME} from the environment and applies the documented defaults', () => {
    const config = parseConfig(base(), env);
    expect(config.platform.apiKey).toBe('platform-key-canary');
    expect(config.deployments.w41b11c0?.apiSecret).toBe('broker-secret-canary');
    expect(config.platform.quotas).toEqual({
      listDeployments: { limit: 60, windowSeconds: 3600 },
      getDeployment: { limit: 60, windowSeconds: 3600 },
      startDeployment: { limit: 5, windowSeconds: 3600 },
      stopDeployment: { limit: 5, windowSeconds: 3600 },
      createDeployment: { limit: 1, windowSeconds: 3600 },
    });
    expect(config.cache).toMatchObject({ deploymentsTtlSeconds: 60, brokerTtlSeconds: 5 });
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', redis: undefined, logLevel: 'info' });
  });

  it('a typo such as cache.brokerTtlSecnds was silently ignored: every unknown key stops start-up, named', () => {
    const document = base() as any;
    document.cache = { brokerTtlSecnds: 2 };
    document.platform.quotas = { listDeployments: { limit: 5, windowSeconds: 60, burst: 2 } };
    document.deployments.w41b11c0.apiSecrt = 'x';
    document.auth.apiKeys[0].scope = 'all';
    document.colour = 'blue';
    const message = failure(document);
    expect(message).toContain('cache.brokerTtlSecnds: unknown setting (did you mean brokerTtlSeconds?)');
    expect(message).toContain('platform.quotas.listDeployments.burst: unknown setting');
    expect(message).toContain('deployments.w41b11c0.apiSecrt: unknown setting (did you mean apiSecret?)');
    expect(message).toContain('auth.apiKeys.0.scope: unknown setting');
    expect(message).toContain('colour: unknown setting');
    expect(message).not.toContain('canary');
  });

  it('lets each quota be overridden alone', () => {
    const document = base() as any;
    document.platform.quotas = { startDeployment: { limit: 2, windowSeconds: 20 } };
    const config = parseConfig(document, env);
    expect(config.platform.quotas.startDeployment).toEqual({ limit: 2, windowSeconds: 20 });
    expect(config.platform.quotas.listDeployments).toEqual({ limit: 60, windowSeconds: 3600 });
  });

  const cases: Array<[string, (d: any) => void, Record<string, string>, RegExp]> = [
    [
      'a missing environment variable',
      () => {},
      { ...env, W41_SECRET: undefined as unknown as string },
      /deployments\.w41b11c0\.apiSecret: environment variable W41_SECRET is not set/,
    ],
    [
      'a broker URL without /api/v4|v5',
      (d) => {
        d.deployments.w41b11c0.apiUrl = 'https://x.example/api';
      },
      env,
      /deployments\.w41b11c0\.apiUrl: must end in \/api\/v4 or \/api\/v5/,
    ],
    [
      'a platform URL that is not a URL',
      (d) => {
        d.platform.apiUrl = 'cloud';
      },
      env,
      /platform\.apiUrl/,
    ],
    [
      'an unknown role',
      (d) => {
        d.auth.apiKeys[0].role = 'root';
      },
      env,
      /auth/,
    ],
    [
      'a negative quota',
      (d) => {
        d.platform.quotas = { listDeployments: { limit: -1, windowSeconds: 60 } };
      },
      env,
      /platform\.quotas\.listDeployments\.limit/,
    ],
    [
      'auth none on a public address',
      (d) => {
        d.auth = { mode: 'none' };
      },
      env,
      /auth\.mode: "none" is only allowed when HOST is a loopback address/,
    ],
    ['a bad PORT', () => {}, { ...env, PORT: 'eighty' }, /PORT/],
    [
      'a bad REDIS_URL',
      () => {},
      { ...env, REDIS_URL: 'localhost:6379' },
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    ],
  ];
  for (const [name, edit, environment, message] of cases) {
    it(`refuses ${name}, naming the setting and never its value`, () => {
      const document = base();
      edit(document);
      const text = failure(document, environment);
      expect(text).toMatch(message);
      for (const secret of [
        'platform-key-canary',
        'platform-secret-canary',
        'broker-secret-canary',
        'dashboard-key-0123456789-canary',
      ]) {
        expect(text).not.toContain(secret);
      }
    });
  }

  it('allows auth none on a loopback HOST', () => {
    const document = { ...base(), auth: { mode: 'none' } };
    expect(parseConfig(document, { ...env, HOST: '127.0.0.1' }).auth).toEqual({ mode: 'none' });
  });
});
