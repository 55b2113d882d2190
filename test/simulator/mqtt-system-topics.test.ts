import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerCore } from '../../src/simulator/broker/core.ts';
import { closeOf, type SimBrokerHarness, startSimBroker, waitFor } from '../helpers/sim-broker.ts';

/**
 * EMQX's system messages as the simulated brokers publish them: client presence (v5 `emqx_sys`, v4
 * `emqx_mod_presence`) and alarms (`emqx_alarm`), to a user allowed `$SYS/#`, and to nobody else.
 */

const NODE = 'emqx@10.0.1.17';
const GATEWAY = { username: 'cloud-gateway', password: 'gw-secret-123' };

interface SysMessage {
  topic: string;
  body: any;
  qos: number;
  retain: boolean;
}

/** Everything a client receives, in order, with JSON bodies parsed. */
function record(client: MqttClient): SysMessage[] {
  const seen: SysMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString());
    } catch {
      body = payload.toString();
    }
    seen.push({ topic, body, qos: packet.qos, retain: packet.retain });
  });
  return seen;
}

async function next(seen: SysMessage[], topic: string, from = 0): Promise<SysMessage> {
  await waitFor(() => seen.slice(from).some((m) => m.topic === topic));
  return seen.slice(from).find((m) => m.topic === topic)!;
}

describe.each(['v5', 'v4'] as const)('%s broker $SYS messages', (version) => {
  let sim: SimBrokerHarness;
  let gateway: MqttClient;
  let seen: SysMessage[];
  const topicOf = (clientId: string, event: string) => `$SYS/brokers/${NODE}/clients/${clientId}/${event}`;

  beforeAll(async () => {
    sim = await startSimBroker({ version, gatewayMqttUser: GATEWAY });
    gateway = await mqtt.connectAsync(sim.mqttUrl(), { ...GATEWAY, clientId: 'gw', reconnectPeriod: 0 });
    seen = record(gateway);
    const granted = await gateway.subscribeAsync(['$SYS/brokers/+/clients/#', '$SYS/brokers/+/alarms/+']);
    expect(granted.map((g) => g.qos)).toEqual([0, 0]);
  });
  afterAll(async () => {
    await gateway?.endAsync(true);
    await sim?.close();
  });

  it('publishes a connected message with the fields EMQX sends', async () => {
    const from = seen.length;
    await sim.connect(`dev-c-${version}`, { keepalive: 30 });
    const message = await next(seen, topicOf(`dev-c-${version}`, 'connected'), from);
    expect(message).toMatchObject({ qos: 0, retain: false });
    const keys = [
      'clientid',
      'username',
      'ipaddress',
      'sockport',
      'proto_name',
      'proto_ver',
      'connected_at',
      'ts',
    ];
    const extra =
      version === 'v5'
        ? ['protocol', 'keepalive', 'clean_start', 'expiry_interval']
        : ['connack', 'keepalive', 'clean_start', 'expiry_interval'];
    expect(Object.keys(message.body).sort()).toEqual([...keys, ...extra].sort());
    expect(message.body).toMatchObject({
      clientid: `dev-c-${version}`,
      username: sim.user.username,
      ipaddress: '127.0.0.1',
      sockport: Number(new URL(sim.mqttUrl()).port),
      proto_name: 'MQTT',
      proto_ver: 4,
      keepalive: 30,
      clean_start: true,
      expiry_interval: 0,
      ...(version === 'v5' ? { protocol: 'mqtt' } : { connack: 0 }),
    });
    expect(message.body.connected_at).toBe(sim.clock.now());
  });

  it('gives a persistent session its expiry in the unit of the version (v5 ms, v4 s)', async () => {
    const from = seen.length;
    await sim.connect(`dev-p-${version}`, { clean: false });
    const message = await next(seen, topicOf(`dev-p-${version}`, 'connected'), from);
    expect(message.body).toMatchObject({
      clean_start: false,
      expiry_interval: version === 'v5' ? 7_200_000 : 7200,
    });
  });

  it.each([
    ['normal', (c: MqttClient) => c.endAsync()],
    ['tcp_closed', (c: MqttClient) => c.stream.destroy()],
  ])('reports a disconnect as %s', async (reason, end) => {
    const clientId = `dev-${reason}-${version}`;
    const client = await sim.connect(clientId);
    const from = seen.length;
    await end(client);
    const message = await next(seen, topicOf(clientId, 'disconnected'), from);
    const keys = ['clientid', 'username', 'ipaddress', 'sockport', 'proto_name', 'proto_ver', 'connected_at'];
    const extra = version === 'v5' ? ['protocol'] : [];
    expect(Object.keys(message.body).sort()).toEqual(
      [...keys, ...extra, 'ts', 'reason', 'disconnected_at'].sort(),
    );
    expect(message.body).toMatchObject({ clientid: clientId, reason, username: sim.user.username });
  });

  it('reports a kick through the management API as kicked', async () => {
    const clientId = `dev-kick-${version}`;
    const client = await sim.connect(clientId);
    const closed = closeOf(client);
    const from = seen.length;
    const reply = await sim.request('DELETE', `/clients/${clientId}`);
    expect(reply.status).toBeLessThan(300);
    await closed;
    expect((await next(seen, topicOf(clientId, 'disconnected'), from)).body.reason).toBe('kicked');
  });

  it.each([
    [true, 'discarded'],
    [false, 'takenover'],
  ])('reports the connection a new one with clean=%s replaces as %s', async (clean, reason) => {
    const clientId = `dev-take-${clean}-${version}`;
    const first = await sim.connect(clientId);
    first.on('error', () => {});
    const from = seen.length;
    await sim.connect(clientId, { clean });
    const disconnected = await next(seen, topicOf(clientId, 'disconnected'), from);
    expect(disconnected.body.reason).toBe(reason);
    await next(seen, topicOf(clientId, 'connected'), from);
  });

  it('publishes alarms as emqx_alarm does, times in microseconds', async () => {
    const from = seen.length;
    sim.broker.raiseAlarm('high_cpu_usage', '91% cpu usage', { usage: 91 });
    const activated = await next(seen, `$SYS/brokers/${NODE}/alarms/activate`, from);
    expect(activated.body).toEqual({
      name: 'high_cpu_usage',
      details: { usage: 91 },
      message: '91% cpu usage',
      activate_at: sim.clock.now() * 1000,
      deactivate_at: 'infinity',
      activated: true,
    });
    sim.clock.advance(1500);
    sim.broker.clearAlarm('high_cpu_usage');
    const deactivated = await next(seen, `$SYS/brokers/${NODE}/alarms/deactivate`, from);
    expect(deactivated.body).toEqual({
      ...activated.body,
      deactivate_at: sim.clock.now() * 1000,
      activated: false,
    });
  });

  it('refuses $SYS/ filters to a device user (SUBACK 0x80), not to the gateway user', async () => {
    const device = await sim.connect(`dev-sys-${version}`);
    // mqtt.js rejects a SUBACK carrying a failure code, with the packet attached.
    await expect(
      device.subscribeAsync(['$SYS/#', '$SYS/brokers/+/alarms/+', 'telemetry/#']),
    ).rejects.toMatchObject({ packet: { granted: [128, 128, 0] } });
    const gatewayGrant = await gateway.subscribeAsync('$SYS/#');
    expect(gatewayGrant.map((g) => g.qos)).toEqual([0]);
    await gateway.unsubscribeAsync('$SYS/#');
  });

  it('shows only EMQX topics under $SYS/, never aedes’ own $SYS/<id>/new/clients', async () => {
    const watcher = await mqtt.connectAsync(sim.mqttUrl(), {
      ...GATEWAY,
      clientId: 'gw-all',
      reconnectPeriod: 0,
    });
    const all = record(watcher);
    await watcher.subscribeAsync(['$SYS/#', '#']);
    const client = await sim.connect(`dev-all-${version}`);
    await client.endAsync();
    await next(all, topicOf(`dev-all-${version}`, 'disconnected'));
    // An alarm published after both presence messages: everything aedes sent before it has arrived too.
    sim.broker.raiseAlarm('sentinel', 'sentinel');
    await next(all, `$SYS/brokers/${NODE}/alarms/activate`);
    await watcher.endAsync();
    const systemTopics = all.filter((m) => m.topic.startsWith('$SYS/')).map((m) => m.topic);
    expect(systemTopics.length).toBeGreaterThanOrEqual(3);
    for (const topic of systemTopics) expect(topic.startsWith(`$SYS/brokers/${NODE}/`)).toBe(true);
  });

  it('counts live MQTT connections, per user too', async () => {
    const before = sim.broker.mqttConnections(sim.user.username);
    const client = await sim.connect(`dev-count-${version}`);
    expect(sim.broker.mqttConnections(sim.user.username)).toBe(before + 1);
    expect(sim.broker.mqttConnections(GATEWAY.username)).toBe(1);
    expect(sim.broker.mqttConnections()).toBe(before + 1 + 1);
    await client.endAsync();
    await waitFor(() => sim.broker.mqttConnections(sim.user.username) === before);
  });
});

describe('$SYS access on a broker without users', () => {
  const core = new BrokerCore({ version: 'v5', nodeName: NODE, now: Date.now });
  const clients: MqttClient[] = [];
  const connect = async (clientId: string) => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${core.mqttPort()}`, {
      clientId,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return client;
  };
  beforeAll(() => core.start());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await core.stop();
  });

  it('grants $SYS/# through a client ID rule, and writes an absent username as EMQX does: "undefined"', async () => {
    const refused = await connect('bystander');
    await expect(refused.subscribeAsync('$SYS/#')).rejects.toMatchObject({ packet: { granted: [128] } });
    core.authz.set({ kind: 'clientid', who: 'watcher' }, [
      { topic: '$SYS/#', permission: 'allow', action: 'subscribe', qos: [0, 1, 2], retain: 'all' },
    ]);
    const watcher = await connect('watcher');
    expect((await watcher.subscribeAsync('$SYS/#')).map((g) => g.qos)).toEqual([0]);
    const seen = record(watcher);
    await connect('anonymous-device');
    const message = await next(seen, `$SYS/brokers/${NODE}/clients/anonymous-device/connected`);
    expect(message.body.username).toBe('undefined');
  });
});
