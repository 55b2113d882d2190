import { GraphQLError } from 'graphql';

/** Which configured limit refused a request; the name a caller sees in `extensions.limit`. */
export type LimitName =
  | 'maxDepth'
  | 'maxAliases'
  | 'maxRootFields'
  | 'maxDirectives'
  | 'maxTokens'
  | 'maxNesting'
  | 'maxCost'
  | 'maxBodyBytes'
  | 'maxWritesPerRequest';

const LABELS: Record<LimitName, string> = {
  maxDepth: 'Query depth',
  maxAliases: 'Number of aliases',
  maxRootFields: 'Number of root fields',
  maxDirectives: 'Number of directives',
  maxTokens: 'Number of tokens',
  maxNesting: 'Nesting of brackets and values',
  maxCost: 'Query cost',
  maxBodyBytes: 'Request body size',
  maxWritesPerRequest: 'Number of upstream writes',
};

/** Limits set at the top of the `security` section rather than under `security.query`. */
const TOP_LEVEL: ReadonlySet<LimitName> = new Set(['maxBodyBytes', 'maxWritesPerRequest']);

/**
 * The one shape of every limit refusal: HTTP 400 (413 for the body), code BAD_USER_INPUT, and the limit named,
 * so a caller knows what to change. `actual` is omitted when counting stopped early or overflowed.
 */
export function limitError(limit: LimitName, max: number, actual?: number): GraphQLError {
  const known = actual !== undefined && Number.isSafeInteger(actual);
  const found = known ? `${actual}` : `more than ${max}`;
  return new GraphQLError(
    `${LABELS[limit]} ${found} exceeds the limit of ${max} (security.${TOP_LEVEL.has(limit) ? limit : `query.${limit}`})`,
    {
      extensions: {
        code: 'BAD_USER_INPUT',
        limit,
        max,
        ...(known ? { actual } : {}),
        http: { status: limit === 'maxBodyBytes' ? 413 : 400 },
      },
    },
  );
}

const REFUSED = Symbol('refused by a limit');

/**
 * Every document limit runs in its own `onValidate` hook, and Envelop runs all of them; the first to refuse
 * marks the request so the later ones neither measure nor overwrite the first (cheapest) verdict.
 */
export const isRefused = (context: object) => REFUSED in context;

export function refuse(context: object, setResult: (errors: GraphQLError[]) => void, error: GraphQLError) {
  Object.defineProperty(context, REFUSED, { value: true });
  setResult([error]);
}
