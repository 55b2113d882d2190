import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/caller.ts';
import { type PersistedDocuments, persistedDocument } from './persisted-documents.ts';

export interface PersistedDocumentsOptions {
  /** The manifest read at start; without one, every ID is unknown. */
  documents: PersistedDocuments | undefined;
  /** Roles that may send only documents of the manifest. */
  requiredFor: readonly Caller['role'][];
  callerOf: (request: Request) => Caller | undefined;
}

const refusal = (message: string, code: string, status: number) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

/** The ID a request names: `documentId` (GraphQL over HTTP) or Apollo's `extensions.persistedQuery.sha256Hash`. */
function requestedId(params: Record<string, unknown>): unknown {
  if (params.documentId != null) return params.documentId;
  const extensions = params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  return extensions?.persistedQuery?.sha256Hash;
}

/**
 * Trusted documents (persisted operations). A request that names a document by ID runs the manifest's text, which
 * Yoga's parse and validation cache has parsed and validated once for every request after the first; a role in
 * `requiredFor` may send nothing else. Runs on the request's parameters, after authentication and the rate limit,
 * before anything is parsed; nothing is sent upstream for a refused request.
 */
export function usePersistedDocuments({
  documents,
  requiredFor,
  callerOf,
}: PersistedDocumentsOptions): Plugin {
  const required = new Set(requiredFor);
  return {
    onParams({ params, request, setParams }) {
      const raw = params as unknown as Record<string, unknown>;
      const id = requestedId(raw);
      if (id == null) {
        const caller = callerOf(request);
        // Thrown, not set as the result: Yoga's own parameter checks would still run and refuse the request
        // for its `documentId` or missing `query` instead.
        if (caller && required.has(caller.role))
          throw refusal(
            `Your role (${caller.role}) may send only persisted documents, by documentId or extensions.persistedQuery.sha256Hash (security.persistedOperations.requiredFor)`,
            'PERSISTED_QUERY_REQUIRED',
            403,
          );
        return;
      }
      const document = typeof id === 'string' && documents ? persistedDocument(documents, id) : undefined;
      if (document === undefined) {
        throw refusal(
          'No persisted document has this ID (security.persistedOperations.manifest)',
          'PERSISTED_QUERY_NOT_FOUND',
          400,
        );
      }
      if (typeof raw.query === 'string' && raw.query !== document) {
        throw refusal('query differs from the persisted document its ID names', 'BAD_USER_INPUT', 400);
      }
      const { documentId: _, extensions, ...rest } = raw;
      const { persistedQuery: __, ...otherExtensions } = (extensions ?? {}) as Record<string, unknown>;
      setParams({
        ...rest,
        query: document,
        ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}),
      } as typeof params);
    },
  };
}
