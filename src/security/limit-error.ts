import { GraphQLError } from 'graphql';

/** Which configured limit refused a request; the name a caller sees in `extensions.limit`. */
export type LimitName =
  | 'maxDepth'
  | 'maxAliases'
  | 'maxRootFields'
  | 'maxDirectives'
  | 'maxTokens'
  | 'maxCost'
  | 'maxBodyBytes';

const LABELS: Record<LimitName, string> = {
  maxDepth: 'Query depth',
  maxAliases: 'Number of aliases',
  maxRootFields: 'Number of root fields',
  maxDirectives: 'Number of directives',
  maxTokens: 'Number of tokens',
  maxCost: 'Query cost',
  maxBodyBytes: 'Request body size',
};

/**
 * The one shape of every limit refusal: HTTP 400 (413 for the body), code BAD_USER_INPUT, and the limit named,
 * so a caller knows what to change. `actual` is omitted when counting stopped early or overflowed.
 */
export function limitError(limit: LimitName, max: number, actual?: number): GraphQLError {
  const known = actual !== undefined && Number.isSafeInteger(actual);
  const found = known ? `${actual}` : `more than ${max}`;
  return new GraphQLError(
    `${LABELS[limit]} ${found} exceeds the limit of ${max} (security.${limit === 'maxBodyBytes' ? limit : `query.${limit}`})`,
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
