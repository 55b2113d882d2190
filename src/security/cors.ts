/** The shape Yoga's `cors` option accepts for one request (false: send no CORS headers). */
type CorsHeaders =
  | false
  | {
      origin: string;
      methods: string[];
      allowedHeaders: string[];
      exposedHeaders: string[];
      credentials: boolean;
      maxAge: number;
    };

export interface CorsPolicyOptions {
  /**
   * Browser origins allowed to call the gateway, exactly as browsers send them (`https://console.example.com`).
   * @default [] (no CORS headers at all: only same-origin pages and non-browser clients can call)
   */
  origins: string[];
  /** Headers a browser may send besides the CORS-safelisted ones (the CSRF headers, at least). */
  allowedHeaders: string[];
}

/**
 * Yoga's `cors` option. Yoga's default reflects any origin with credentials, so the policy is always explicit:
 * off when no origin is configured, else the request's origin only when it is listed, no cookies (callers
 * authenticate with bearer tokens), GET and POST only.
 */
export function corsPolicy({
  origins,
  allowedHeaders,
}: CorsPolicyOptions): false | ((request: Request) => CorsHeaders) {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', ...allowedHeaders],
      exposedHeaders: ['retry-after', 'x-request-id'],
      credentials: false,
      maxAge: 600,
    };
  };
}
