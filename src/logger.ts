import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Field paths that may hold credentials anywhere in a log object. */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  '*.apiKey',
  '*.apiSecret',
  '*.appSecret',
  '*.password',
  '*.secret',
  '*.key',
  '*.token',
];

/**
 * Replaces every known secret, and the Basic-auth header values built from pairs of them, in a string.
 * The last line of defence: text from upstream error bodies may echo a credential back.
 */
export function createSecretScrubber(secrets: string[], pairs: Array<[string, string]> = []) {
  const needles = new Set<string>();
  for (const secret of secrets) if (secret.length >= 4) needles.add(secret);
  for (const [user, pass] of pairs) {
    const basic = Buffer.from(`${user}:${pass}`).toString('base64');
    needles.add(basic);
    needles.add(`${user}:${pass}`);
  }
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    for (const needle of sorted) if (out.includes(needle)) out = out.split(needle).join('[REDACTED]');
    return out;
  };
}

export interface LoggerOptions {
  /** pino level. @default 'info' */
  level?: string;
  /** Secrets to scrub from every line. */
  scrub?: (text: string) => string;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = options.scrub;
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'emqx-cloud-gateway' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: scrub ? { streamWrite: (line: string) => scrub(line) } : {},
    },
    options.destination,
  );
}
