import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, mutate, nextMessage, result, V4, V5, writesTo } from './helpers.ts';

const PUBLISH = `mutation($id: String!, $input: PublishInput!) {
  publish(deploymentId: $id, input: $input) ${result('PublishSuccess', 'topic messageId delivered')}
}`;
const BATCH = `mutation($id: String!, $messages: [PublishInput!]!) {
  publishBatch(deploymentId: $id, messages: $messages) {
    __typename
    ... on PublishBatchSuccess { results ${result('PublishSuccess', 'topic messageId delivered')} }
    ... on Error { code message }
  }
}`;

const VERSIONS = [
  {
    version: 'v5',
    id: V5,
    path: '/api/v5/publish',
    batchPath: '/api/v5/publish/bulk',
    encodingKey: 'payload_encoding',
  },
  {
    version: 'v4',
    id: V4,
    path: '/api/v4/mqtt/publish',
    batchPath: '/api/v4/mqtt/publish_batch',
    encodingKey: 'encoding',
  },
] as const;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

describe.each(VERSIONS)('publish on $version', ({ version, id, path, batchPath, encodingKey }) => {
  // v4 carries the configured publisher id on every message (seed 003 marks clientid required).
  const sender = version === 'v4' ? { clientid: 'emqx-cloud-gateway' } : {};
  const extra = version === 'v4' ? { ...sender, return: true } : {};

  it('delivers a QoS 0 text message to a subscriber, sending one POST with the documented body', async () => {
    const device = await connectDevice(stack, id, `pub0-${version}`);
    await device.subscribeAsync('plant/line1/temp', { qos: 0 });
    const received = nextMessage(device, 'plant/line1/temp');
    const answer = await mutate(stack, PUBLISH, {
      id,
      input: { topic: 'plant/line1/temp', payload: '21.5 °C' },
    });
    expect(answer).toMatchObject({ __typename: 'PublishSuccess', topic: 'plant/line1/temp' });
    expect(answer.delivered).toBe(version === 'v5' ? true : null);
    expect(answer.messageId).toMatch(/^[0-9A-F]{32}$/);
    const message = await received;
    expect(message.payload.toString()).toBe('21.5 °C');
    expect(message.qos).toBe(0);
    const writes = writesTo(stack, id);
    expect(writes.map((w) => [w.method, w.rawPath, w.query])).toEqual([['POST', path, '']]);
    expect(JSON.parse(writes[0]!.body)).toEqual({
      topic: 'plant/line1/temp',
      payload: '21.5 °C',
      [encodingKey]: 'plain',
      qos: 0,
      retain: false,
      ...extra,
    });
    await device.endAsync();
  });

  it('delivers a QoS 1 base64 payload as the exact bytes', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    const device = await connectDevice(stack, id, `pub1-${version}`);
    await device.subscribeAsync('bin/#', { qos: 1 });
    const received = nextMessage(device, 'bin/raw');
    const input = { topic: 'bin/raw', payload: bytes.toString('base64'), encoding: 'BASE64', qos: 1 };
    expect(await mutate(stack, PUBLISH, { id, input })).toMatchObject({ __typename: 'PublishSuccess' });
    const message = await received;
    expect(message.payload.equals(bytes)).toBe(true);
    expect(message.qos).toBe(1);
    expect(JSON.parse(writesTo(stack, id)[0]!.body)).toEqual({
      topic: 'bin/raw',
      payload: 'AP8QgH8=',
      [encodingKey]: 'base64',
      qos: 1,
      retain: false,
      ...extra,
    });
    await device.endAsync();
  });

  it('retains a message for a subscriber that comes later', async () => {
    const input = { topic: `status/${version}/door`, payload: 'open', retain: true, qos: 1 };
    expect(await mutate(stack, PUBLISH, { id, input })).toMatchObject({ __typename: 'PublishSuccess' });
    const late = await connectDevice(stack, id, `late-${version}`);
    const received = nextMessage(late, input.topic);
    await late.subscribeAsync(input.topic, { qos: 1 });
    const message = await received;
    expect(message).toMatchObject({ retain: true, qos: 1 });
    expect(message.payload.toString()).toBe('open');
    await late.endAsync();
  });

  it('publishes a batch in one call and answers one result per message, in order', async () => {
    const device = await connectDevice(stack, id, `batch-${version}`);
    await device.subscribeAsync(['batch/a', 'batch/b'], { qos: 0 });
    const first = nextMessage(device, 'batch/a');
    const second = nextMessage(device, 'batch/b');
    const messages = [
      { topic: 'batch/a', payload: 'one' },
      { topic: 'batch/b', payload: 'dHdv', encoding: 'BASE64', qos: 1 },
    ];
    const answer = await mutate(stack, BATCH, { id, messages });
    expect(answer.__typename).toBe('PublishBatchSuccess');
    expect(answer.results.map((r: any) => [r.__typename, r.topic])).toEqual([
      ['PublishSuccess', 'batch/a'],
      ['PublishSuccess', 'batch/b'],
    ]);
    expect((await first).payload.toString()).toBe('one');
    expect((await second).payload.toString()).toBe('two');
    const writes = writesTo(stack, id);
    expect(writes.map((w) => [w.method, w.rawPath, w.query])).toEqual([['POST', batchPath, '']]);
    expect(JSON.parse(writes[0]!.body)).toEqual([
      { topic: 'batch/a', payload: 'one', [encodingKey]: 'plain', qos: 0, retain: false, ...sender },
      { topic: 'batch/b', payload: 'dHdv', [encodingKey]: 'base64', qos: 1, retain: false, ...sender },
    ]);
    await device.endAsync();
  });
});

describe('whether anybody received it', () => {
  it('v5: nobody subscribed (202, reason code 16) is a success with delivered false', async () => {
    const answer = await mutate(stack, PUBLISH, { id: V5, input: { topic: 'nobody/listens', payload: 'x' } });
    expect(answer).toEqual({
      __typename: 'PublishSuccess',
      topic: 'nobody/listens',
      messageId: null,
      delivered: false,
    });
  });

  it('v5: a batch tells per message who was delivered', async () => {
    const device = await connectDevice(stack, V5, 'mixed-batch');
    await device.subscribeAsync('mixed/heard', { qos: 0 });
    const messages = [
      { topic: 'mixed/unheard', payload: '1' },
      { topic: 'mixed/heard', payload: '2' },
    ];
    const answer = await mutate(stack, BATCH, { id: V5, messages });
    expect(answer.results.map((r: any) => r.delivered)).toEqual([false, true]);
    await device.endAsync();
  });

  it('v4 cannot tell: delivered is null', async () => {
    const answer = await mutate(stack, PUBLISH, { id: V4, input: { topic: 'nobody/listens', payload: 'x' } });
    expect(answer).toMatchObject({ __typename: 'PublishSuccess', delivered: null });
  });

  it('v4: a topic with a comma is refused, because EMQX v4 would publish to two topics', async () => {
    const answer = await mutate(stack, PUBLISH, { id: V4, input: { topic: 'a,b', payload: 'x' } });
    expect(answer).toMatchObject({
      __typename: 'BadUserInputError',
      code: 'BAD_USER_INPUT',
      field: 'input.topic',
    });
    expect(writesTo(stack, V4)).toEqual([]);
  });
});

describe('v4 publish carries clientid (seed 003 marks it required)', () => {
  it('v4 publish never sent clientid: publish and every publish_batch item now carry the configured upstream.publishClientId', async () => {
    const custom = await startStack({
      configure: (config) => {
        config.upstream.publishClientId = 'ops-gateway-7';
      },
    });
    try {
      const device = await connectDevice(custom, V4, 'hears-ops-gateway');
      await device.subscribeAsync('sender/#', { qos: 0 });
      const received = nextMessage(device, 'sender/one');
      const one = await mutate(custom, PUBLISH, { id: V4, input: { topic: 'sender/one', payload: 'x' } });
      expect(one.__typename).toBe('PublishSuccess');
      expect((await received).payload.toString()).toBe('x');
      const messages = [
        { topic: 'sender/a', payload: '1' },
        { topic: 'sender/b', payload: '2' },
      ];
      const batch = await mutate(custom, BATCH, { id: V4, messages });
      expect(batch.results.map((r: any) => r.__typename)).toEqual(['PublishSuccess', 'PublishSuccess']);
      const [single, many] = writesTo(custom, V4).map((w) => JSON.parse(w.body));
      expect(single.clientid).toBe('ops-gateway-7');
      expect(many.map((m: any) => m.clientid)).toEqual(['ops-gateway-7', 'ops-gateway-7']);
      await device.endAsync();
    } finally {
      await custom.close();
    }
  });
});
