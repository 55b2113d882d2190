import { describe, expect, it } from 'vitest';
import {
  ManifestError,
  parseManifest,
  persistedDocument,
} from '../../../src/security/persisted-documents.ts';

/** The manifest formats the common tools write, and the ID forms clients send. */
describe('trusted-documents manifest', () => {
  it('reads the map GraphQL Codegen and Relay write, and finds an ID with or without sha256:', () => {
    const documents = parseManifest(JSON.stringify({ abc: '{ a }', 'sha256:def': '{ b }' }), 'm.json');
    expect(persistedDocument(documents, 'abc')).toBe('{ a }');
    expect(persistedDocument(documents, 'sha256:abc')).toBe('{ a }');
    expect(persistedDocument(documents, 'def')).toBe('{ b }');
    expect(persistedDocument(documents, 'nope')).toBeUndefined();
  });

  it("reads Apollo's persisted query manifest", () => {
    const manifest = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: 'h1', name: 'Count', type: 'query', body: 'query Count { a }' }],
    };
    expect(persistedDocument(parseManifest(JSON.stringify(manifest), 'm.json'), 'h1')).toBe(
      'query Count { a }',
    );
  });

  it('refuses what is not a manifest, naming the file and never quoting it', () => {
    for (const text of [
      '{ nope',
      '[]',
      '{}',
      '{"a": 1}',
      '{"format":"apollo-persisted-query-manifest","version":2}',
    ])
      expect(() => parseManifest(text, 'm.json')).toThrow(ManifestError);
    expect(() => parseManifest('{"secret-ish": 1}', 'm.json')).toThrow(/^m\.json is neither/);
  });
});
