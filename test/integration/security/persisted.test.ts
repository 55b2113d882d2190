import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, writeConfigFile } from '../../helpers/process.ts';
import { type Stack, stackConfig, startStack } from '../../helpers/stack.ts';

/**
 * Trusted documents (security.persistedOperations): a manifest in GraphQL Codegen's format, viewers required to
 * use it. A document is sent by `documentId` or by Apollo's `extensions.persistedQuery.sha256Hash`; a viewer's
 * free-form document and an unknown ID are refused with a code and nothing sent upstream; a manifest that does
 * not parse stops the process with exit code 78.
 */

const DOCUMENT = 'query Count { deployments { totalCount } }';
const HASH = createHash('sha256').update(DOCUMENT).digest('hex');

function manifestFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'emqx-gw-manifest-')), 'persisted-documents.json');
  writeFileSync(file, text);
  return file;
}

describe('trusted documents', () => {
  let stack: Stack;
  beforeAll(async () => {
    const manifest = manifestFile(JSON.stringify({ [HASH]: DOCUMENT }));
    stack = await startStack({
      configure: (config) => {
        config.security = {
          ...config.security,
          persistedOperations: { manifest, requiredFor: ['viewer'] },
        };
      },
    });
  });
  afterAll(() => stack.close());

  async function post(body: unknown, token = stack.tokens.viewer) {
    const response = await request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as any };
  }

  it('runs a persisted document sent by documentId, bare or sha256:-prefixed', async () => {
    for (const documentId of [HASH, `sha256:${HASH}`]) {
      const { status, body } = await post({ documentId });
      expect(status).toBe(200);
      expect(body.data.deployments.totalCount).toBe(5);
    }
  });

  it("runs a persisted document sent by Apollo's persistedQuery hash", async () => {
    const { status, body } = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } });
    expect(status).toBe(200);
    expect(body.data.deployments.totalCount).toBe(5);
  });

  it("refuses a viewer's free-form document, and an unknown ID, with a code and no upstream call", async () => {
    stack.sim.requestLog.clear();
    const free = await post({ query: DOCUMENT });
    expect(free.status).toBe(403);
    expect(free.body.data).toBeUndefined();
    expect(free.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    const unknown = await post({ documentId: 'f'.repeat(64) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const mismatch = await post({ documentId: HASH, query: '{ upstreamQuotas { limit } }' });
    expect(mismatch.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('lets a role that is not required send free-form documents', async () => {
    const { status, body } = await post({ query: DOCUMENT }, stack.tokens.operator);
    expect(status).toBe(200);
    expect(body.data.deployments.totalCount).toBe(5);
  });

  it('stops npm start (exit 78) when the manifest does not parse, naming the setting', async () => {
    for (const text of ['{ not json', '[1, 2]']) {
      const config = stackConfig(stack.sim, stack.tokens);
      config.security = { ...config.security, persistedOperations: { manifest: manifestFile(text) } };
      const { exited, output } = runServer({ GATEWAY_CONFIG_FILE: writeConfigFile(config) });
      expect(await exited).toBe(78);
      expect(output.join('\n')).toContain('security.persistedOperations.manifest');
    }
  });
});
