import type { Caller } from './auth/caller.ts';
import type { Logger } from './logger.ts';
import type { Services } from './services.ts';

/** Everything one GraphQL request sees. Built per request; loaders inside are never shared between callers. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
  logger: Logger;
  services: Services;
}
