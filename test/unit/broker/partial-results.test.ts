import { describe, expect, it } from 'vitest';
import { v4Writes } from '../../../src/broker/v4/writes/index.ts';
import { v5Writes } from '../../../src/broker/v5/writes/index.ts';
import { ExpectedError, NotFoundError, UpstreamError } from '../../../src/errors.ts';
import type { PublishMessage } from '../../../src/validation/payload.ts';
import { fakeTransport } from './fake-transport.ts';

/**
 * Partial success, as EMQX reports it (docs/emqx-api.md §3.4, §4.1, §4.3): per-item answers mapped to one result per
 * input item, in order. The simulator cannot easily be made to fail one item, so these use recorded shapes.
 */

const message = (topic: string): PublishMessage => ({
  topic,
  payload: 'p',
  encoding: 'PLAIN',
  qos: 0,
  retain: false,
});

describe('v5', () => {
  it('publish/bulk answered 503 keeps the messages that were dispatched', async () => {
    const { transport, requests } = fakeTransport({
      'POST /publish/bulk': () => ({
        status: 503,
        body: [
          { id: 'A1' },
          { reason_code: 16, message: 'no_matching_subscribers' },
          { reason_code: 131, message: 'failed_to_dispatch' },
        ],
      }),
    });
    const results = await v5Writes(transport).publishBatch([message('a'), message('b'), message('c')]);
    expect(results.slice(0, 2)).toEqual([
      { topic: 'a', messageId: 'A1', delivered: true },
      { topic: 'b', messageId: null, delivered: false },
    ]);
    expect(results[2]).toBeInstanceOf(UpstreamError);
    expect((results[2] as UpstreamError).upstreamCode).toBe('131');
    expect(requests[0]?.accept).toEqual([503]);
  });

  it('subscribe/bulk switching to {succeed, failed} marks exactly the failed topics', async () => {
    const { transport } = fakeTransport({
      'POST /clients/{}/subscribe/bulk': () => ({
        body: {
          succeed: [{ clientid: 'c', topic: 'ok/1', qos: 0 }],
          failed: [{ data: ['c', 'bad/2', { qos: 1 }], reason: 'quota_exceeded' }],
        },
      }),
    });
    const results = await v5Writes(transport).subscribeMany('c', [
      { topic: 'ok/1', qos: 0 },
      { topic: 'bad/2', qos: 1 },
    ]);
    expect(results[0]).toEqual({ clientId: 'c', topic: 'ok/1', qos: 0 });
    expect(results[1]).toBeInstanceOf(ExpectedError);
    expect((results[1] as ExpectedError).message).toContain('quota_exceeded');
  });

  it('an update of an unknown rule reads 404 and never PUTs', async () => {
    const { transport, requests } = fakeTransport({
      'GET /rules/{}': () => ({ status: 404, body: { code: 'NOT_FOUND', message: 'Rule Id Not Found' } }),
    });
    await expect(
      v5Writes(transport).updateRule('r1', {
        sql: 's',
        actions: [],
        name: null,
        description: null,
        enabled: null,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('import_users answers counts from 5.8.2 on and nothing before', async () => {
    const newer = fakeTransport({
      'POST /authentication/{}/import_users': () => ({
        body: { total: 2, success: 2, override: 0, skipped: 0, failed: 0 },
      }),
    });
    expect(await v5Writes(newer.transport).importAuthnUsers([])).toEqual({
      total: 2,
      success: 2,
      override: 0,
      skipped: 0,
      failed: 0,
    });
    const older = fakeTransport({
      'POST /authentication/{}/import_users': () => ({ status: 204, body: undefined }),
    });
    expect(await v5Writes(older.transport).importAuthnUsers([])).toEqual({
      total: null,
      success: null,
      override: null,
      skipped: null,
      failed: null,
    });
  });
});

describe('v4', () => {
  it('publish_batch maps per-item codes in order', async () => {
    const { transport } = fakeTransport({
      'POST /mqtt/publish_batch': () => ({
        body: {
          code: 0,
          data: [
            { topic: 'a', code: 0 },
            { topic: 'b', code: 108, message: 'bad_params' },
          ],
        },
      }),
    });
    const results = await v4Writes(transport).publishBatch([message('a'), message('b')]);
    expect(results[0]).toEqual({ topic: 'a', messageId: null, delivered: null });
    expect((results[1] as UpstreamError).upstreamCode).toBe('108');
  });

  it('subscribe_batch: code 112 is NOT_FOUND for that item only', async () => {
    const { transport } = fakeTransport({
      'POST /mqtt/subscribe_batch': () => ({
        body: {
          code: 0,
          data: [
            { clientid: 'c', topic: 'x', code: 0 },
            { clientid: 'c', topic: 'y', code: 112 },
          ],
        },
      }),
    });
    const results = await v4Writes(transport).subscribeMany('c', [
      { topic: 'x', qos: 0 },
      { topic: 'y', qos: 0 },
    ]);
    expect(results[0]).toEqual({ clientId: 'c', topic: 'x', qos: 0 });
    expect(results[1]).toBeInstanceOf(NotFoundError);
  });

  it('an answer with the wrong number of items is a contract error, not a guess', async () => {
    const { transport } = fakeTransport({
      'POST /mqtt/publish_batch': () => ({ body: { code: 0, data: [] } }),
    });
    await expect(v4Writes(transport).publishBatch([message('a')])).rejects.toMatchObject({
      name: 'BrokerContractError',
      issues: [{ path: 'data', message: '0 results for 1 items' }],
    });
  });
});
