import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV4, type V4Harness } from '../helpers/sim-v4.ts';

let sim: V4Harness;

beforeAll(async () => {
  sim = await startV4();
});

afterAll(() => sim.close());

describe('v4 alarms', () => {
  it('shows activated alarms with microsecond times and deactivate_at "infinity"', async () => {
    sim.core.alarms.activate('high_cpu_usage', '91.5%', { usage: '91.5%' });
    const reply = await sim.request('GET', '/api/v4/alarms/activated');
    const [{ node, alarms }] = reply.json.data;
    expect(node).toBe(sim.node);
    expect(alarms).toEqual([
      {
        name: 'high_cpu_usage',
        message: '91.5%',
        details: { usage: '91.5%' },
        activated: true,
        activate_at: expect.any(Number),
        deactivate_at: 'infinity',
        duration: expect.any(Number),
      },
    ]);
    expect(alarms[0].activate_at).toBeGreaterThan(Date.now() * 1000 - 60_000_000);
  });

  it('deactivates by {node, name}; errors carry only a message', async () => {
    const body = { node: sim.node, name: 'high_cpu_usage' };
    expect((await sim.request('POST', '/api/v4/alarms/deactivated', { body })).json).toEqual({ code: 0 });
    expect((await sim.request('POST', '/api/v4/alarms/deactivated', { body })).json).toEqual({
      message: 'not_found',
    });
    const other = { node: 'emqx@10.9.9.9', name: 'high_cpu_usage' };
    expect((await sim.request('POST', '/api/v4/alarms/deactivated', { body: other })).json).toEqual({
      message: 'nodedown',
    });
    const missing = await sim.request('POST', '/api/v4/alarms/deactivated', { body: { name: 'x' } });
    expect(missing.status).toBe(500);
  });

  it('lists deactivated alarms, all alarms, per node; clears the history', async () => {
    const history = await sim.request('GET', `/api/v4/nodes/${sim.node}/alarms/deactivated`);
    expect(history.json.data).toEqual([
      expect.objectContaining({ name: 'high_cpu_usage', activated: false }),
    ]);
    const alarm = history.json.data[0];
    expect(alarm.duration).toBe(alarm.deactivate_at - alarm.activate_at);
    const all = await sim.request('GET', '/api/v4/alarms');
    expect(all.json.data[0].alarms).toHaveLength(1);
    expect((await sim.request('DELETE', '/api/v4/alarms/deactivated')).json).toEqual({ code: 0 });
    expect((await sim.request('GET', '/api/v4/alarms/deactivated')).json.data[0].alarms).toEqual([]);
  });
});

describe('v4 banned', () => {
  it('echoes the request parameters and bans for 300 s by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    const created = await sim.request('POST', '/api/v4/banned', { body: { who: 'bad-1', as: 'clientid' } });
    expect(created.json).toEqual({ code: 0, data: { who: 'bad-1', as: 'clientid' } });
    const list = await sim.request('GET', '/api/v4/banned');
    expect(list.json.meta).toEqual({ page: 1, limit: 10000, count: 1 });
    const [ban] = list.json.data;
    expect(ban).toMatchObject({ who: 'bad-1', as: 'clientid', by: 'user' });
    expect(ban.at).toBeGreaterThanOrEqual(before);
    expect(ban.until - ban.at).toBe(300);
  });

  it('keeps given fields', async () => {
    const body = { who: '10.0.0.9', as: 'peerhost', by: 'ops', reason: 'flood', until: 4102444800 };
    expect((await sim.request('POST', '/api/v4/banned', { body })).json).toEqual({ code: 0, data: body });
    const list = await sim.request('GET', '/api/v4/banned?_limit=1&_page=2');
    expect(list.json.meta).toEqual({ page: 2, limit: 1, count: 2 });
    const all = await sim.request('GET', '/api/v4/banned');
    expect(all.json.data).toContainEqual(expect.objectContaining({ ...body, at: expect.any(Number) }));
  });

  it.each([
    [{ as: 'clientid' }, 107, "missing mandatory params: ['who', 'as']"],
    [{ who: 'x' }, 107, "missing mandatory params: ['who', 'as']"],
    [
      { who: 'x', as: 'ip_address' },
      108,
      "value of 'as' must be one of: ['clientid', 'username', 'peerhost']",
    ],
  ])('refuses %j with code %i', async (body, code, message) => {
    expect((await sim.request('POST', '/api/v4/banned', { body })).json).toEqual({ code, message });
  });

  it('deletes idempotently; a bad kind is 108', async () => {
    expect((await sim.request('DELETE', '/api/v4/banned/clientid/bad-1')).json).toEqual({ code: 0 });
    expect((await sim.request('DELETE', '/api/v4/banned/clientid/bad-1')).json).toEqual({ code: 0 });
    expect((await sim.request('DELETE', '/api/v4/banned/peerhost/10.0.0.9')).json).toEqual({ code: 0 });
    expect((await sim.request('DELETE', '/api/v4/banned/nobody/x')).json.code).toBe(108);
    expect((await sim.request('GET', '/api/v4/banned')).json.data).toEqual([]);
  });
});
