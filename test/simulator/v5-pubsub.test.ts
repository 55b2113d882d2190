import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimBrokerHarness, startSimBroker } from '../helpers/sim-broker.ts';

const MSG_ID = /^[0-9A-F]{32}$/;

describe('v5 publish, subscriptions and retainer (docs/emqx-api.md §4.2, §4.3, §4.5)', () => {
  let sim: SimBrokerHarness;

  beforeAll(async () => {
    sim = await startSimBroker();
    const listener = await sim.connect('listener');
    await listener.subscribeAsync({ 'sensors/+/temp': { qos: 1 }, '$share/grp/jobs/#': { qos: 0 } });
    const other = await sim.connect('other');
    await other.subscribeAsync('alerts/#', { qos: 2 });
  });
  afterAll(() => sim.close());

  describe('POST /publish', () => {
    it.each([
      [{ topic: 'sensors/1/temp', payload: '21.5' }, 200],
      [{ topic: 'sensors/1/temp', payload: 'MjEuNQ==', payload_encoding: 'base64', qos: 1 }, 200],
      [{ topic: 'nobody/here', payload: 'x' }, 202],
    ])('%j → %i', async (body, status) => {
      const reply = await sim.request('POST', '/publish', { body });
      expect(reply.status).toBe(status);
      if (status === 200) expect(reply.json).toEqual({ id: expect.stringMatching(MSG_ID) });
      else expect(reply.json).toEqual({ reason_code: 16, message: 'no_matching_subscribers' });
    });

    it.each([
      [
        { topic: 'bad/+/topic', payload: 'x' },
        { reason_code: 144, message: 'topic_name_invalid' },
      ],
      [
        { topic: '', payload: 'x' },
        { reason_code: 144, message: 'topic_name_invalid' },
      ],
      [{ topic: 't', payload: '%%%', payload_encoding: 'base64' }, { reason_code: 131 }],
    ])('%j → 400 with a reason_code body', async (body, expected) => {
      const reply = await sim.request('POST', '/publish', { body });
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject(expected);
      expect(reply.json).not.toHaveProperty('code');
    });

    it.each([[{ topic: 't', payload: 'x', qos: 3 }], [{ payload: 'x' }], [{ topic: 't' }]])(
      '%j → schema 400 BAD_REQUEST',
      async (body) => {
        const reply = await sim.request('POST', '/publish', { body });
        expect(reply.status).toBe(400);
        expect(reply.json.code).toBe('BAD_REQUEST');
        expect(typeof reply.json.message).toBe('string');
      },
    );
  });

  describe('POST /publish/bulk', () => {
    it('answers one entry per message, in order; 202 when some matched nobody', async () => {
      const reply = await sim.request('POST', '/publish/bulk', {
        body: [
          { topic: 'alerts/a', payload: '1' },
          { topic: 'void/a', payload: '2' },
        ],
      });
      expect(reply.status).toBe(202);
      expect(reply.json).toEqual([
        { id: expect.stringMatching(MSG_ID) },
        { reason_code: 16, message: 'no_matching_subscribers' },
      ]);
    });

    it('answers 200 when every message reached a subscriber', async () => {
      const reply = await sim.request('POST', '/publish/bulk', {
        body: [
          { topic: 'alerts/b', payload: '1' },
          { topic: 'jobs/1', payload: '2' },
        ],
      });
      expect(reply.status).toBe(200);
      expect(reply.json).toHaveLength(2);
    });

    it('rejects the whole batch with one reason_code object when one message is invalid', async () => {
      const before = (await sim.request('GET', '/metrics?aggregate=true')).json['messages.publish'];
      const reply = await sim.request('POST', '/publish/bulk', {
        body: [
          { topic: 'alerts/c', payload: '1' },
          { topic: 'bad/#', payload: '2' },
        ],
      });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ reason_code: 144, message: 'topic_name_invalid' });
      const after = (await sim.request('GET', '/metrics?aggregate=true')).json['messages.publish'];
      expect(after).toBe(before);
    });
  });

  describe('GET /subscriptions and /topics', () => {
    it.each([
      ['', 3, true],
      ['?clientid=listener', 2, true],
      ['?qos=2', 1, true],
      ['?topic=alerts%2F%23', 1, true],
      ['?share_group=grp', 1, true],
      ['?match_topic=sensors%2F%23', 1, false],
      ['?durable=true', 0, true],
    ])('GET /subscriptions%s → %i rows (count shown: %s)', async (query, rows, counted) => {
      const reply = await sim.request('GET', `/subscriptions${query}`);
      expect(reply.status).toBe(200);
      expect(reply.json.data).toHaveLength(rows);
      expect(reply.json.meta).toEqual({
        page: 1,
        limit: 100,
        hasnext: false,
        ...(counted ? { count: rows } : {}),
      });
    });

    it('shows shared subscriptions with their $share prefix and the subscription shape', async () => {
      const reply = await sim.request('GET', '/subscriptions?share_group=grp');
      expect(reply.json.data[0]).toEqual({
        node: 'emqx@10.0.1.17',
        topic: '$share/grp/jobs/#',
        clientid: 'listener',
        qos: 0,
        nl: 0,
        rap: 0,
        rh: 0,
        durable: false,
      });
    });

    it('400 INVALID_PARAMETER match_topic_invalid for a $share match_topic', async () => {
      const reply = await sim.request('GET', '/subscriptions?match_topic=%24share%2Fg%2Ft');
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ code: 'INVALID_PARAMETER', message: 'match_topic_invalid' });
    });

    it('lists routes under /topics', async () => {
      const reply = await sim.request('GET', '/topics');
      expect(reply.status).toBe(200);
      expect(reply.json.data).toContainEqual({ topic: 'alerts/#', node: 'emqx@10.0.1.17' });
      expect(reply.json.meta).toEqual({ page: 1, limit: 100, hasnext: false, count: 3 });
    });
  });

  describe('retainer', () => {
    beforeAll(async () => {
      for (const [topic, payload] of [
        ['retained/a', 'one'],
        ['retained/b', 'two'],
        ['elsewhere/c', 'three'],
      ]) {
        const reply = await sim.request('POST', '/publish', {
          body: { topic, payload, retain: true, qos: 1 },
        });
        expect([200, 202]).toContain(reply.status);
      }
    });

    it('lists retained messages without payloads; count only without a topic filter', async () => {
      const all = await sim.request('GET', '/mqtt/retainer/messages');
      expect(all.status).toBe(200);
      expect(all.json.meta).toEqual({ page: 1, limit: 100, hasnext: false, count: 3 });
      const row = all.json.data.find((m: { topic: string }) => m.topic === 'retained/a');
      expect(row).toEqual({
        msgid: expect.stringMatching(MSG_ID),
        topic: 'retained/a',
        qos: 1,
        publish_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        from_clientid: 'http_api',
        from_username: null,
      });
      const filtered = await sim.request('GET', '/mqtt/retainer/messages?topic=retained%2F%23&limit=1');
      expect(filtered.json.meta).toEqual({ page: 1, limit: 1, hasnext: true });
      expect(filtered.json.data).toHaveLength(1);
    });

    it('reads one retained message with a base64 payload, then deletes it', async () => {
      const one = await sim.request('GET', '/mqtt/retainer/message/retained%2Fb');
      expect(one.status).toBe(200);
      expect(one.json.payload).toBe(Buffer.from('two').toString('base64'));
      expect((await sim.request('DELETE', '/mqtt/retainer/message/retained%2Fb')).status).toBe(204);
      const gone = await sim.request('GET', '/mqtt/retainer/message/retained%2Fb');
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual({ code: 'NOT_FOUND', message: "Viewed message doesn't exist" });
      expect((await sim.request('DELETE', '/mqtt/retainer/message/retained%2Fb')).status).toBe(404);
    });

    it('DELETE /mqtt/retainer/messages clears everything (204); retained.count follows', async () => {
      expect((await sim.request('DELETE', '/mqtt/retainer/messages')).status).toBe(204);
      expect((await sim.request('GET', '/mqtt/retainer/messages')).json.meta.count).toBe(0);
      expect((await sim.request('GET', '/stats?aggregate=true')).json['retained.count']).toBe(0);
    });
  });
});
