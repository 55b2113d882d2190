import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';
import { startWebhook, type Webhook } from '../helpers/webhook.ts';
import { V4, V5 } from './broker/mutations/helpers.ts';

/**
 * Secrets in data-integration configurations are write-only: a connector password, an auth header, an
 * action token and a v4 resource header each carry a marker; every read and write of them, healthy and with
 * upstream error bodies that echo the marker back, must leave it out of every response and every log line
 * (debug level included).
 */

const MARKER = `CANARY${crypto.randomUUID().replaceAll('-', '')}`;
const JUSTIFY = 'canary sweep';

describe('integration secrets never leave the gateway', () => {
  let stack: Stack;
  let hook: Webhook;
  const responses: string[] = [];

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const { body } = await stack.gql(query, { variables });
    responses.push(JSON.stringify(body));
    return body;
  };

  beforeAll(async () => {
    stack = await startStack();
    hook = await startWebhook();
  });
  afterAll(async () => {
    await stack?.close();
    await hook?.close();
  });

  it('holds for connectors, actions, resources and their errors', async () => {
    const connector = {
      type: 'http',
      name: 'vault',
      config: {
        url: hook.url,
        headers: { Authorization: `Bearer ${MARKER}-header`, 'x-api-key': `${MARKER}-apikey` },
        ssl: { enable: false, password: `${MARKER}-ssl` },
      },
    };
    const action = {
      type: 'http',
      name: 'vault-out',
      connector: 'vault',
      parameters: { path: '/in', headers: { token: `${MARKER}-token` } },
    };
    const write = `mutation($c: ConnectorInput!, $a: ActionInput!, $j: String) {
      c: createConnector(deploymentId: "${V5}", input: $c, justification: $j) { __typename ... on CreateConnectorSuccess { connector { raw } } ... on Error { code message } }
      t: testConnector(deploymentId: "${V5}", input: $c) { __typename ... on TestConnectorSuccess { ok failureCode } ... on Error { code message } }
      a: createAction(deploymentId: "${V5}", input: $a, justification: $j) { __typename ... on CreateActionSuccess { action { raw } } ... on Error { code message } }
      u: updateConnector(deploymentId: "${V5}", id: "http:vault", input: { config: { url: "${hook.url}", headers: { Authorization: "******" }, password: "${MARKER}-new" } }, justification: $j) { __typename ... on UpdateConnectorSuccess { connector { raw } } ... on Error { code message } }
    }`;
    const first = await gql(write, { c: connector, a: action, j: JUSTIFY });
    expect(first.data.c.__typename).toBe('CreateConnectorSuccess');
    expect(first.data.a.__typename).toBe('CreateActionSuccess');
    expect(first.data.u.__typename).toBe('UpdateConnectorSuccess');
    const reads = `{ deployment(deploymentId: "${V5}") { connectors { raw } actions { raw } } }`;
    const read = await gql(reads);
    expect(read.data.deployment.connectors[0].raw).toMatchObject({
      headers: { Authorization: '******' },
      password: '******',
    });

    // A duplicate: EMQX refuses it (400 ALREADY_EXISTS); then bodies that quote the configuration back.
    await gql(write, { c: connector, a: action, j: JUSTIFY });
    for (const status of [400, 500]) {
      stack.sim.faults.set(V5, {
        status,
        body: JSON.stringify({ code: 'BAD_REQUEST', message: `refused config with password ${MARKER}-echo` }),
        headers: { 'content-type': 'application/json' },
        pathIncludes: '/connectors',
      });
      const echoed = await gql(write, { c: { ...connector, name: `vault${status}` }, a: action, j: JUSTIFY });
      expect(echoed.data.c.__typename).not.toBe('CreateConnectorSuccess');
      stack.sim.faults.clear(V5);
    }

    const resource = {
      type: 'web_hook',
      config: { url: hook.url, headers: { token: `${MARKER}-v4` } },
      description: 'v4 canary',
    };
    const v4 = await gql(
      `mutation($r: ResourceInput!) { createResource(deploymentId: "${V4}", input: $r, justification: "${JUSTIFY}") { __typename ... on CreateResourceSuccess { resource { raw } } } }`,
      { r: resource },
    );
    expect(v4.data.createResource.__typename).toBe('CreateResourceSuccess');
    await gql(`{ deployment(deploymentId: "${V4}") { resources { raw } } }`);

    for (const body of responses)
      expect(body.includes(MARKER), `a response holds the marker: ${body.slice(0, 300)}`).toBe(false);
    const logs = stack.logs.map((log) => log.text()).join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs.includes(MARKER)).toBe(false);
  });
});
