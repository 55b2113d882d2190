import { assertCallerPresent, type GatewayContext } from '../context.ts';
import { BrokerNotConfiguredError, DeploymentNotRunningError, ExpectedError } from '../errors.ts';
import { type Deployment, deploymentStatus } from '../platform/model.ts';
import type { InboundMessage } from './mqtt-link.ts';
import { createLiveStream, type LiveStream } from './stream.ts';

/**
 * Opening a stream for one subscription field: limits, the caller's token lifetime and disconnect, the
 * deployment stopping, and (for MQTT-fed fields) the shared link's topic filters. Everything acquired is
 * released by the stream's single close, however it ends.
 */

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface StreamRequest {
  field: string;
  maxItems?: number;
  durationSeconds?: number;
}

/** A stream for the caller with its limits and lifetime; `feed` attaches the source and returns its release. */
export async function openStream<T>(
  context: GatewayContext,
  request: StreamRequest,
  feed: (stream: LiveStream<T>) => Promise<() => void>,
): Promise<LiveStream<T>> {
  assertCallerPresent(context);
  const { live, metrics, config } = context.services;
  const release = live.admit(context.caller, request.field, (error) => stream.fail(error));
  const timers: NodeJS.Timeout[] = [];
  let detach = () => {};
  let closed = false;
  const stream = createLiveStream<T>({
    capacity: config.limits.streamBufferSize,
    ...(request.maxItems === undefined ? {} : { maxItems: request.maxItems }),
    ...(context.signal ? { signal: context.signal } : {}),
    onDrop: () => metrics.liveMessages.inc({ outcome: 'dropped' }),
    onClose: () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      detach();
      release();
    },
  });
  // setTimeout fires at once beyond 2^31-1 ms (24.8 days, a long-lived token's expiry): longer waits are chained.
  const after = (ms: number, action: () => void) => {
    const at = Date.now() + ms;
    const arm = () => {
      const left = at - Date.now();
      timers.push(setTimeout(left > MAX_TIMER_MS ? arm : action, Math.min(Math.max(0, left), MAX_TIMER_MS)));
    };
    arm();
  };
  if (request.durationSeconds !== undefined) after(request.durationSeconds * 1000, () => stream.end());
  const { expiresAt } = context.caller;
  if (expiresAt !== undefined) {
    after(expiresAt - Date.now(), () =>
      stream.fail(new ExpectedError('UNAUTHENTICATED', 'The token has expired')),
    );
  }
  try {
    detach = await feed(stream);
  } catch (error) {
    stream.close();
    throw error;
  }
  // The caller may have gone while the feed was being set up: its close ran before there was anything to detach.
  if (closed) detach();
  return stream;
}

/** The deployment may be read live: `mqtt` configured and RUNNING. */
export function requireLiveLink(context: GatewayContext, deployment: Deployment) {
  const link = context.services.live.link(deployment.deploymentId);
  if (!link) throw new BrokerNotConfiguredError(deployment.deploymentId);
  const status = deploymentStatus(deployment.status);
  if (status !== 'RUNNING') throw new DeploymentNotRunningError(deployment.deploymentId, status);
  return link;
}

/**
 * Feeds a stream from topic filters of the deployment's shared MQTT link, mapping each message (null skips it),
 * and ends it when the catalog sees the deployment leave RUNNING.
 */
export function topicFeed<T>(
  context: GatewayContext,
  deployment: Deployment,
  filters: string[],
  map: (message: InboundMessage) => T | null,
) {
  const link = requireLiveLink(context, deployment);
  return async (stream: LiveStream<T>) => {
    const listener = {
      message: (message: InboundMessage) => {
        const value = map(message);
        if (value !== null) stream.push(value);
      },
      fail: (error: ExpectedError) => stream.fail(error),
    };
    const releases: Array<() => void> = [];
    releases.push(
      context.services.live.statuses.listen((changed) => {
        if (changed.deploymentId !== deployment.deploymentId) return;
        const status = deploymentStatus(changed.status);
        if (status !== 'RUNNING') stream.fail(new DeploymentNotRunningError(deployment.deploymentId, status));
      }),
    );
    const releaseAll = () => {
      for (const release of releases.splice(0)) release();
    };
    try {
      for (const filter of filters) releases.push(await link.subscribe(filter, listener));
    } catch (error) {
      releaseAll();
      throw error;
    }
    return releaseAll;
  };
}
