import type { Caller } from '../auth/caller.ts';
import type { GatewayConfig } from '../config.ts';
import { ExpectedError, UpstreamUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DeploymentCatalog } from '../platform/catalog.ts';
import { createMqttLink, type MqttLink } from './mqtt-link.ts';
import { createStatusWatch, type StatusWatch } from './status-watch.ts';

/**
 * Everything live on one replica: the MQTT link of each deployment (created on first use, one per
 * deployment) and the count of open streams, per caller and in total, that the limits apply to.
 */
export interface LiveHub {
  /** The deployment's shared MQTT link; null when the deployment has no `mqtt` configured. */
  link(deploymentId: string): MqttLink | null;
  /**
   * Counts a new stream for the caller, or refuses it (RATE_LIMITED naming the limit) when the caller or the
   * replica is at its limit, UPSTREAM_UNAVAILABLE once the replica is shutting down. `end` is told at shutdown.
   * The returned function releases the slot; calling it twice is harmless.
   */
  admit(caller: Caller, field: string, end: (error: ExpectedError) => void): () => void;
  /** Deployment status changes seen by this replica's catalog. */
  readonly statuses: StatusWatch;
  /** Ends every open stream with an error event and closes every MQTT link (shutdown). */
  close(): Promise<void>;
}

export interface LiveHubOptions {
  config: Pick<GatewayConfig, 'deployments' | 'limits' | 'live' | 'upstream' | 'cache'>;
  logger: Logger;
  metrics: Metrics;
  catalog: Pick<DeploymentCatalog, 'list' | 'observe'>;
}

const callerKey = (caller: Caller) => `${caller.via}\0${caller.name}`;

function limitError(limit: 'maxStreamsPerCaller' | 'maxStreams', value: number) {
  const who = limit === 'maxStreams' ? 'This gateway replica serves' : 'A caller may hold';
  return new ExpectedError('RATE_LIMITED', `${who} at most ${value} open subscriptions; end one first`, {
    limit,
    retryAfterSeconds: 1,
  });
}

export function createLiveHub({ config, logger, metrics, catalog }: LiveHubOptions): LiveHub {
  const links = new Map<string, MqttLink>();
  const perCaller = new Map<string, number>();
  const enders = new Set<(error: ExpectedError) => void>();
  let total = 0;
  let closing = false;
  const shuttingDown = () =>
    new UpstreamUnavailableError('The gateway is shutting down; reconnect to another replica');
  const statuses = createStatusWatch({
    catalog,
    intervalMs: config.cache.deploymentsTtlSeconds * 1000,
    logger,
  });

  return {
    statuses,
    link(deploymentId) {
      const mqtt = config.deployments[deploymentId]?.mqtt;
      if (!mqtt) return null;
      let link = links.get(deploymentId);
      if (!link) {
        link = createMqttLink({
          deploymentId,
          config: mqtt,
          logger,
          idleMs: config.live.idleCloseSeconds * 1000,
          downGraceMs: config.live.downGraceSeconds * 1000,
          connectTimeoutMs: config.upstream.connectTimeoutMs,
          onConnectionChange: (delta) => metrics.mqttConnections.inc(delta),
          onMessage: () => metrics.liveMessages.inc({ outcome: 'in' }),
        });
        links.set(deploymentId, link);
      }
      return link;
    },

    admit(caller, field, end) {
      if (closing) throw shuttingDown();
      const key = callerKey(caller);
      const held = perCaller.get(key) ?? 0;
      if (held >= config.limits.maxStreamsPerCaller)
        throw limitError('maxStreamsPerCaller', config.limits.maxStreamsPerCaller);
      if (total >= config.limits.maxStreams) throw limitError('maxStreams', config.limits.maxStreams);
      perCaller.set(key, held + 1);
      total++;
      metrics.liveStreams.inc({ field });
      // Each admitted stream has its own entry, even when two pass the same function.
      const ender = (error: ExpectedError) => end(error);
      enders.add(ender);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        enders.delete(ender);
        total--;
        const left = (perCaller.get(key) ?? 1) - 1;
        if (left === 0) perCaller.delete(key);
        else perCaller.set(key, left);
        metrics.liveStreams.dec({ field });
      };
    },

    async close() {
      closing = true;
      // Streams not fed by MQTT (deploymentStatusChanges) would otherwise hold their connections for the drain.
      const error = shuttingDown();
      for (const end of [...enders]) end(error);
      statuses.close();
      await Promise.all([...links.values()].map((link) => link.close()));
      links.clear();
    },
  };
}
