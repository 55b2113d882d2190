import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Trusted documents: the operations a frontend was built with, by ID. The manifest is a JSON file in one of the
 * formats the common tools write:
 *   - `{ "<hash>": "<document>", … }` — GraphQL Codegen's client preset (`persisted-documents.json`) and Relay's
 *     `--persist-output` file;
 *   - `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }` —
 *     Apollo's `generate-persisted-query-manifest`.
 * An ID may also be sent with a `sha256:` prefix (the GraphQL over HTTP persisted-documents convention).
 */
export type PersistedDocuments = ReadonlyMap<string, string>;

const mapFormat = z.record(z.string().min(1), z.string().min(1));
const apolloFormat = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string().min(1), body: z.string().min(1) }).passthrough()),
});

/** Why a manifest cannot be used; the message names the file and the problem, never a document. */
export class ManifestError extends Error {}

export function parseManifest(text: string, source: string): PersistedDocuments {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ManifestError(`${source} is not valid JSON`);
  }
  const apollo = apolloFormat.safeParse(document);
  if (apollo.success)
    return new Map(apollo.data.operations.map((operation) => [operation.id, operation.body]));
  const map = mapFormat.safeParse(document);
  if (map.success && Object.keys(map.data).length > 0) return new Map(Object.entries(map.data));
  throw new ManifestError(
    `${source} is neither a map of document IDs to documents nor an Apollo persisted query manifest`,
  );
}

export function loadManifest(path: string): PersistedDocuments {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  return parseManifest(text, path);
}

/** The document an ID names, with or without its `sha256:` prefix. */
export function persistedDocument(documents: PersistedDocuments, id: string): string | undefined {
  return (
    documents.get(id) ??
    (id.startsWith('sha256:') ? documents.get(id.slice(7)) : documents.get(`sha256:${id}`))
  );
}
