/**
 * Expected failures: outcomes a caller can act on, each with a stable code from docs/CONTRACT.md §4.
 * Anything that is not an ExpectedError is a bug and is masked by Yoga as INTERNAL_SERVER_ERROR.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'BROKER_NOT_CONFIGURED'
  | 'DEPLOYMENT_NOT_RUNNING'
  | 'NOT_SUPPORTED'
  | 'OUTCOME_UNKNOWN';

export class ExpectedError extends Error {
  readonly code: ErrorCode;
  /** Extra fields placed in the GraphQL error's `extensions` (never secrets). */
  readonly extensions: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.extensions = { code, ...extensions };
  }
}

export class NotFoundError extends ExpectedError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ForbiddenError extends ExpectedError {
  constructor(message = 'Not allowed for this caller') {
    super('FORBIDDEN', message);
  }
}

export class BadUserInputError extends ExpectedError {
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
    this.field = field;
  }
}

export class RateLimitedError extends ExpectedError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('RATE_LIMITED', message, { retryAfterSeconds: seconds });
    this.retryAfterSeconds = seconds;
  }
}

/**
 * Why an upstream could not be used. The first three say the upstream itself is failing and count against its
 * circuit breaker; the others are the gateway's own decisions (or the caller's) and do not.
 */
export type UnavailableReason =
  | 'timeout'
  | 'unreachable'
  | 'status'
  | 'cancelled'
  | 'busy'
  | 'open'
  | 'deadline';

export class UpstreamUnavailableError extends ExpectedError {
  readonly reason: UnavailableReason;
  constructor(message: string, reason: UnavailableReason = 'status') {
    super('UPSTREAM_UNAVAILABLE', message);
    this.reason = reason;
  }
}

export class UpstreamError extends ExpectedError {
  readonly upstreamCode: string;
  /**
   * EMQX's free-text message, for adapters that must read it (v4 says "Rule x Not Found" only in words). Never
   * shown to callers (CONTRACT.md §4) and not enumerable, so no error serialiser copies it into a log line.
   */
  declare readonly upstreamMessage: string | undefined;
  constructor(message: string, upstreamCode: string | number, status?: number, upstreamMessage?: string) {
    super('UPSTREAM_ERROR', message, {
      upstreamCode: String(upstreamCode),
      ...(status ? { upstreamStatus: status } : {}),
    });
    this.upstreamCode = String(upstreamCode);
    Object.defineProperty(this, 'upstreamMessage', { value: upstreamMessage, enumerable: false });
  }
}

export class BrokerNotConfiguredError extends ExpectedError {
  constructor(deploymentId: string) {
    // Says what to do: the platform API gives no broker credentials, so a new deployment always starts here.
    super(
      'BROKER_NOT_CONFIGURED',
      `Deployment ${deploymentId} has no broker API configured in this gateway: the platform API does not ` +
        `hand out broker credentials; add the deployment's API address and App ID / App Secret under ` +
        `deployments.${deploymentId} in the configuration file`,
    );
  }
}

export class DeploymentNotRunningError extends ExpectedError {
  constructor(deploymentId: string, status: string) {
    super('DEPLOYMENT_NOT_RUNNING', `Deployment ${deploymentId} is ${status.toLowerCase()}, not running`);
  }
}

export class NotSupportedError extends ExpectedError {
  constructor(what: string, version: string) {
    super('NOT_SUPPORTED', `${what}: not available on EMQX ${version} brokers`);
  }
}

export class OutcomeUnknownError extends ExpectedError {
  /** `answer`: what came back, when something did but could not be read (default: nothing in time). */
  constructor(operation: string, answer = 'no answer came back in time') {
    super(
      'OUTCOME_UNKNOWN',
      `${operation} was sent but ${answer}; it was not retried, check the result before trying again`,
    );
  }
}
