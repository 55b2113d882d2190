import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../helpers/stack.ts';
import { connectDevice, mutate, nextMessage, result, V4, V5, writesTo } from './helpers.ts';

const DELETE = `mutation($id: String!, $topic: String!) {
  deleteRetainedMessage(deploymentId: $id, topic: $topic) ${result('DeleteRetainedMessageSuccess', 'topic')}
}`;
const RETAIN = `mutation($id: String!, $topic: String!) {
  publish(deploymentId: $id, input: { topic: $topic, payload: "kept", retain: true, qos: 1 }) { __typename }
}`;
const RETAINED = `query($id: String!, $topic: String!) { deployment(deploymentId: $id) { retainedMessage(topic: $topic) { topic } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

/** What a new subscriber to `topic` gets first: the retained message, or the marker published after subscribing. */
async function firstMessageOnSubscribe(id: string, topic: string) {
  const device = await connectDevice(stack, id, `probe-${Math.random().toString(36).slice(2)}`);
  await device.subscribeAsync('probe/marker', { qos: 1 });
  const first = nextMessage(device);
  await device.subscribeAsync(topic, { qos: 1 });
  await device.publishAsync('probe/marker', 'marker', { qos: 1 });
  const message = await first;
  await device.endAsync();
  return message.topic;
}

describe.each([
  { version: 'v5', id: V5 },
  { version: 'v4', id: V4 },
])('deleteRetainedMessage on $version', ({ version, id }) => {
  it('removes the retained message so a new subscriber gets nothing', async () => {
    const topic = `site/${version}/state`;
    await mutate(stack, RETAIN, { id, topic });
    expect(await firstMessageOnSubscribe(id, topic)).toBe(topic);
    stack.sim.requestLog.clear();

    expect(await mutate(stack, DELETE, { id, topic })).toEqual({
      __typename: 'DeleteRetainedMessageSuccess',
      topic,
    });
    const sent = writesTo(stack, id).map((w) => [
      w.method,
      w.rawPath,
      w.query,
      w.body ? JSON.parse(w.body) : null,
    ]);
    expect(sent).toEqual(
      version === 'v5'
        ? [['DELETE', `/api/v5/mqtt/retainer/message/site%2Fv5%2Fstate`, '', null]]
        : [
            [
              'POST',
              '/api/v4/mqtt/publish',
              '',
              { clientid: 'emqx-cloud-gateway', topic, payload: '', encoding: 'plain', qos: 0, retain: true },
            ],
          ],
    );
    expect(await firstMessageOnSubscribe(id, topic)).toBe('probe/marker');
  });
});

it('v5: the retained read shows it gone at once, and a second delete is NOT_FOUND', async () => {
  const topic = 'cache/check';
  await mutate(stack, RETAIN, { id: V5, topic });
  const before = await stack.gql(RETAINED, { variables: { id: V5, topic } });
  expect(before.body.data.deployment.retainedMessage).toEqual({ topic });
  await mutate(stack, DELETE, { id: V5, topic });
  const after = await stack.gql(RETAINED, { variables: { id: V5, topic } });
  expect(after.body.data.deployment.retainedMessage).toBeNull();
  expect(await mutate(stack, DELETE, { id: V5, topic })).toMatchObject({ code: 'NOT_FOUND' });
});
