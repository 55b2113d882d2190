import {
  BadUserInputError,
  type ErrorCode,
  ExpectedError,
  RateLimitedError,
  UpstreamError,
} from '../errors.ts';

/**
 * A mutation's outcome as text in the shared store and back, so another replica can answer it again: plain
 * JSON, plus the two kinds of value JSON loses — Dates (ban times, creation times) and ExpectedErrors (batch
 * items that failed, or the outcome itself) — rebuilt as the classes the schema's result unions recognise.
 */

const DATE = '$date';
const ERROR = '$error';

interface EncodedError {
  code: ErrorCode;
  message: string;
  extensions: Record<string, unknown>;
}

function encodeError(error: ExpectedError): EncodedError {
  return { code: error.code, message: error.message, extensions: error.extensions };
}

function decodeError({ code, message, extensions }: EncodedError): ExpectedError {
  switch (code) {
    case 'BAD_USER_INPUT':
      return new BadUserInputError(message, extensions.field as string | undefined);
    case 'RATE_LIMITED':
      return new RateLimitedError(message, Number(extensions.retryAfterSeconds));
    case 'UPSTREAM_ERROR':
      return new UpstreamError(
        message,
        String(extensions.upstreamCode),
        extensions.upstreamStatus as number | undefined,
      );
    default: {
      const { code: _, ...rest } = extensions;
      return new ExpectedError(code, message, rest);
    }
  }
}

export function encodeOutcome(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key, item) {
    const original = this[key];
    if (original instanceof Date) return { [DATE]: original.toISOString() };
    if (original instanceof ExpectedError) return { [ERROR]: encodeError(original) };
    return item;
  });
}

export function decodeOutcome(text: string): unknown {
  return JSON.parse(text, (_key, item) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      if (typeof item[DATE] === 'string') return new Date(item[DATE]);
      if (item[ERROR]) return decodeError(item[ERROR]);
    }
    return item;
  });
}
