import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/caller.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { SecurityConfig } from './config.ts';
import { corsPolicy } from './cors.ts';
import type { PersistedDocuments } from './persisted-documents.ts';
import { useAliasLimit } from './use-alias-limit.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { useCostLimit } from './use-cost-limit.ts';
import { useCsrfPrevention } from './use-csrf-prevention.ts';
import { useDepthLimit } from './use-depth-limit.ts';
import { useDirectiveLimit } from './use-directive-limit.ts';
import { useIntrospectionSwitch } from './use-introspection-switch.ts';
import { useNestingLimit } from './use-nesting-limit.ts';
import { useParamsSyntax } from './use-params-syntax.ts';
import { usePersistedDocuments } from './use-persisted-documents.ts';
import { useRateLimit } from './use-rate-limit.ts';
import { useRootFieldLimit } from './use-root-field-limit.ts';
import { useTokenLimit } from './use-token-limit.ts';
import { useWriteBudget } from './use-write-budget.ts';

export interface SecurityDeps {
  config: SecurityConfig;
  store: Store;
  /** Versioned namespace of shared-store keys, e.g. `emqxgw:v1:`. */
  keyPrefix: string;
  logger: Logger;
  /** The caller the auth plugin established for a request. */
  callerOf: (request: Request) => Caller | undefined;
  /** How many deployments the caller of a request can see; bounds the cost of a `deployments` page without `first`. */
  visibleDeployments?: (context: unknown) => Promise<number>;
  /** The trusted documents of security.persistedOperations.manifest (read with the configuration). */
  persistedDocuments?: PersistedDocuments | undefined;
}

/** The Yoga options the security section decides. */
export function securityOptions(config: SecurityConfig) {
  return {
    cors: corsPolicy({ origins: config.cors.origins, allowedHeaders: config.csrf.requestHeaders }),
    /** Yoga's own limit cuts off chunked bodies while they stream; useBodyLimit names it for declared ones. */
    maxRequestBodySize: config.maxBodyBytes,
    graphiql: config.graphiql,
  };
}

/**
 * The security plugins, to be placed after authentication, in the order a request meets them: cheap header
 * checks, then the per-caller budget, then the document limits from cheapest (tokens, while parsing) to
 * dearest (cost and the write budget, with variables, just before execution). Each refusal happens before any resolver runs.
 */
export function createSecurityPlugins({
  config,
  store,
  keyPrefix,
  logger,
  callerOf,
  visibleDeployments,
  persistedDocuments,
}: SecurityDeps): Plugin[] {
  const { query } = config;
  return [
    useCsrfPrevention({ requestHeaders: config.csrf.requestHeaders }),
    useRateLimit({ ...config.rateLimit, store, keyPrefix, callerOf, logger }),
    useBodyLimit({ maxBodyBytes: config.maxBodyBytes }),
    useParamsSyntax(),
    usePersistedDocuments({
      documents: persistedDocuments,
      requiredFor: config.persistedOperations.requiredFor,
      callerOf,
    }),
    useNestingLimit({ maxNesting: query.maxNesting }),
    useTokenLimit({ maxTokens: query.maxTokens }),
    useDirectiveLimit({ maxDirectives: query.maxDirectives }),
    useRootFieldLimit({ maxRootFields: query.maxRootFields }),
    useAliasLimit({ maxAliases: query.maxAliases }),
    useDepthLimit({ maxDepth: query.maxDepth }),
    useIntrospectionSwitch({ introspection: config.introspection }),
    useCostLimit({ maxCost: query.maxCost, visibleDeployments }),
    useWriteBudget({ maxWritesPerRequest: config.maxWritesPerRequest }),
  ];
}
