import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/auth/caller.ts';
import { ExpectedError } from '../../../src/errors.ts';
import { BROAD_WRITES } from '../../../src/security/broad-writes.ts';
import { decideWrite } from '../../../src/security/write-policy.ts';

/**
 * The write policy, table-driven (CONTRACT §6): every broad case beside a narrow twin that stays an
 * operator's. The arguments are the mutations' validated ones.
 */

const caller = (role: Caller['role']): Caller => ({
  name: `${role}-key`,
  role,
  projects: '*',
  via: 'apiKey',
});
const publish = (topic: string) => ({ deploymentId: 'd', input: { topic } });
const ban = (kind: string, who: string) => ({ deploymentId: 'd', input: { kind, who } });
const authz = (kind: string) => ({ deploymentId: 'd', target: { kind, who: kind === 'ALL' ? null : 'u1' } });
const rule = (...actions: unknown[]) => ({
  deploymentId: 'd',
  input: { sql: 'SELECT * FROM "t/#"', actions },
});

type Row = [operation: string, broad: unknown, narrow: unknown];

export const POLICY_TABLE: Row[] = [
  ['clearBans', { deploymentId: 'd' }, null],
  ['clearRetainedMessages', { deploymentId: 'd' }, null],
  ['clearAuthzRules', { deploymentId: 'd' }, null],
  ['createBan', ban('CLIENT_ID_REGEX', '.*'), ban('CLIENT_ID', 'evil-1')],
  ['createBan', ban('USERNAME_REGEX', '^a'), ban('USERNAME', 'mallory')],
  ['createBan', ban('PEER_HOST_NET', '0.0.0.0/0'), ban('PEER_HOST_NET', '203.0.113.0/24')],
  ['createBan', ban('PEER_HOST_NET', '10.0.0.0/15'), ban('PEER_HOST_NET', '10.0.0.0/16')],
  ['createBan', ban('PEER_HOST_NET', '2001:db8::/32'), ban('PEER_HOST_NET', '2001:db8::/48')],
  ['createBan', ban('PEER_HOST_NET', '::ffff:10.0.0.0/100'), ban('PEER_HOST_NET', '::ffff:10.0.0.0/120')],
  ['createBan', ban('PEER_HOST_NET', '::/0'), ban('PEER_HOST', '203.0.113.7')],
  ['setAuthzRules', authz('ALL'), authz('USERNAME')],
  ['deleteAuthzRules', authz('ALL'), authz('CLIENT_ID')],
  ['publish', publish('$SYS/brokers/x'), publish('sensors/1')],
  ['publish', publish('$SYS'), publish('SYS/brokers/x')],
  [
    'publishBatch',
    { deploymentId: 'd', messages: [{ topic: 'a' }, { topic: '$SYS/x' }] },
    { deploymentId: 'd', messages: [{ topic: 'a' }, { topic: 'b/$SYS' }] },
  ],
  ['createRule', rule('http:my_webhook'), rule({ function: 'console' })],
  [
    'createRule',
    rule({ function: 'republish', args: { topic: '$SYS/fake' } }),
    rule({ function: 'republish', args: { topic: 'copy/t' } }),
  ],
  [
    'createRule',
    rule({ function: 'republish', args: { topic: '${topic}' } }),
    rule({ function: 'republish', args: { topic: 'copy/${topic}' } }),
  ],
  [
    'createRule',
    rule({ function: 'mymod:send' }),
    rule({ function: 'console' }, { function: 'republish', args: { topic: 'x' } }),
  ],
  ['updateRule', rule({ name: 'data_to_webserver', params: {} }), rule({ name: 'inspect', params: {} })],
  [
    'updateRule',
    rule({ name: 'republish', params: { target_topic: '$SYS/x' } }),
    rule({ name: 'republish', params: { target_topic: 'y' } }),
  ],
  [
    'updateRule',
    rule({ name: 'do_nothing', fallbacks: [{ name: 'data_to_kafka' }] }),
    rule({ name: 'do_nothing', fallbacks: [{ name: 'inspect' }] }),
  ],
  ['createAction', { deploymentId: 'd', input: { type: 'http', name: 'hook' } }, null],
  ['updateAction', { deploymentId: 'd', id: 'kafka_producer:k' }, null],
  [
    'setActionEnabled',
    { deploymentId: 'd', id: 'http:hook', enabled: true },
    { deploymentId: 'd', id: 'http:hook', enabled: false },
  ],
  [
    'createConnector',
    { deploymentId: 'd', input: { type: 'mysql', name: 'db' } },
    { deploymentId: 'd', input: { type: 'kafka_consumer', name: 'in' } },
  ],
  ['updateConnector', { deploymentId: 'd', id: 'http:hook' }, { deploymentId: 'd', id: 'mqtt_consumer:in' }],
  [
    'setConnectorEnabled',
    { deploymentId: 'd', id: 'http:hook', enabled: true },
    { deploymentId: 'd', id: 'http:hook', enabled: false },
  ],
  ['createResource', { deploymentId: 'd', input: { type: 'web_hook' } }, null],
];

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'OK';
  } catch (error) {
    return error instanceof ExpectedError ? error.code : String(error);
  }
};

describe.each(POLICY_TABLE)('%s', (operation, broadArgs, narrowArgs) => {
  it(`is broad for ${JSON.stringify(broadArgs)}: operator FORBIDDEN, admin needs a justification`, () => {
    expect(codeOf(() => decideWrite(caller('operator'), operation, broadArgs, 'because'))).toBe('FORBIDDEN');
    expect(codeOf(() => decideWrite(caller('admin'), operation, broadArgs, null))).toBe('BAD_USER_INPUT');
    const refused = (() => {
      try {
        decideWrite(caller('admin'), operation, broadArgs, null);
      } catch (error) {
        return error as ExpectedError;
      }
    })();
    expect(refused?.extensions).toMatchObject({ field: 'justification' });
    expect(decideWrite(caller('admin'), operation, broadArgs, 'incident 42')).toEqual({
      broad: expect.any(String),
      justification: 'incident 42',
    });
  });

  // Only the cases with a narrow twin declare this test (no skipped tests for the others).
  if (narrowArgs !== null) {
    it(`stays an operator's for ${JSON.stringify(narrowArgs)}`, () => {
      expect(decideWrite(caller('operator'), operation, narrowArgs, null)).toEqual({
        broad: null,
        justification: null,
      });
    });
  }
});

it('has a row for every kind of broad write the policy knows', () => {
  expect(new Set(POLICY_TABLE.map(([operation]) => operation))).toEqual(new Set(Object.keys(BROAD_WRITES)));
});

it('never calls a write broad for a field it does not list', () => {
  expect(decideWrite(caller('operator'), 'kickClients', { clientIds: ['#'] }, null).broad).toBeNull();
});
