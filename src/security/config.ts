import { z } from 'zod';

/**
 * The `security` section of the configuration file. Every setting has a safe default, so a file without the
 * section gets a gateway that bad queries cannot hurt; operators loosen or tighten from there.
 */

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

const querySchema = z.object({
  maxDepth: z
    .number()
    .int()
    .min(1)
    .default(15)
    .describe('deepest field nesting in one operation, fragments expanded (GraphiQL introspection needs 13)'),
  maxAliases: z.number().int().min(0).default(30).describe('aliased fields in one operation'),
  maxRootFields: z.number().int().min(1).default(20).describe('top-level fields in one operation'),
  maxDirectives: z.number().int().min(0).default(20).describe('directives in one document'),
  maxTokens: z.number().int().min(100).default(5_000).describe('lexical tokens in one document'),
  maxNesting: z
    .number()
    .int()
    .min(16)
    .max(256)
    .default(64)
    .describe('levels of {/[ in a document and of arrays/objects in its variables and extensions'),
  maxCost: z
    .number()
    .int()
    .min(1)
    .default(10_000)
    .describe(
      'estimated cost of one operation: 1 per connection read and per object it may return (page size × items), scalars free',
    ),
});

const rateLimitSchema = z.object({
  requests: z
    .number()
    .int()
    .min(0)
    .default(600)
    .describe('GraphQL requests one caller may make per window, fleet-wide; 0 turns the limit off'),
  windowSeconds: z.number().positive().default(60).describe('length of the sliding window in seconds'),
});

const persistedOperationsSchema = z.object({
  manifest: z
    .string()
    .min(1)
    .optional()
    .describe(
      "path of a trusted-documents manifest (JSON: hash → document, as GraphQL Codegen and Relay write it, or Apollo's persisted query manifest)",
    ),
  requiredFor: z
    .array(z.enum(['viewer', 'operator', 'admin']))
    .default([])
    .describe('roles that may send only documents of the manifest (by documentId or persistedQuery hash)'),
});

export const securitySchema = z
  .object({
    graphiql: z.boolean().default(true).describe('serve GraphiQL to browsers at GET /graphql'),
    introspection: z
      .boolean()
      .default(true)
      .describe('answer __schema/__type queries; when off, error messages stop suggesting field names'),
    cors: z
      .object({
        origins: z
          .array(z.string().regex(ORIGIN, 'must be an origin such as https://console.example.com'))
          .default([])
          .describe('browser origins allowed to call the gateway; empty sends no CORS headers at all'),
      })
      .prefault({}),
    csrf: z
      .object({
        requestHeaders: z
          .array(z.string().regex(/^[A-Za-z0-9-]+$/))
          .min(1)
          .default(['x-graphql-csrf', 'graphql-require-preflight', 'apollo-require-preflight'])
          .describe('headers that mark a request as not cross-site when it has no Authorization header'),
      })
      .prefault({}),
    maxBodyBytes: z
      .number()
      .int()
      .min(1_024)
      .default(524_288)
      .describe('largest request body; it must fit the largest publish payload base64-encoded'),
    query: querySchema.prefault({}),
    persistedOperations: persistedOperationsSchema.prefault({}),
    rateLimit: rateLimitSchema.prefault({}),
    maxWritesPerRequest: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe(
        'upstream writes one request may cause: each batch item 1, every other mutation 1, dry runs 0',
      ),
    idempotencyTtlSeconds: z
      .number()
      .int()
      .min(1)
      .default(86_400)
      .describe('how long the first result of a mutation sent with an idempotencyKey answers its repeats'),
  })
  .prefault({});

export type SecurityConfig = z.infer<typeof securitySchema>;
