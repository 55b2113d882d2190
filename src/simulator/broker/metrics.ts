/** Broker-wide counters with EMQX's metric names (the v4 and v5 `/metrics` keys are the same names). */

const METRIC_NAMES = [
  'actions.dropped',
  'actions.executed',
  'authentication.failure',
  'authentication.success',
  'authentication.success.anonymous',
  'authorization.allow',
  'authorization.cache_hit',
  'authorization.deny',
  'authorization.matched.allow',
  'authorization.matched.deny',
  'authorization.nomatch',
  'authorization.superuser',
  'bytes.received',
  'bytes.sent',
  'client.auth.anonymous',
  'client.authenticate',
  'client.authorize',
  'client.connack',
  'client.connect',
  'client.connected',
  'client.disconnected',
  'client.subscribe',
  'client.unsubscribe',
  'delivery.dropped',
  'delivery.dropped.expired',
  'delivery.dropped.no_local',
  'delivery.dropped.qos0_msg',
  'delivery.dropped.queue_full',
  'delivery.dropped.too_large',
  'messages.acked',
  'messages.delayed',
  'messages.delivered',
  'messages.dropped',
  'messages.dropped.await_pubrel_timeout',
  'messages.dropped.no_subscribers',
  'messages.forward',
  'messages.publish',
  'messages.qos0.received',
  'messages.qos0.sent',
  'messages.qos1.received',
  'messages.qos1.sent',
  'messages.qos2.received',
  'messages.qos2.sent',
  'messages.received',
  'messages.retained',
  'messages.sent',
  'packets.auth.received',
  'packets.auth.sent',
  'packets.connack.auth_error',
  'packets.connack.error',
  'packets.connack.sent',
  'packets.connect.received',
  'packets.disconnect.received',
  'packets.disconnect.sent',
  'packets.pingreq.received',
  'packets.pingresp.sent',
  'packets.puback.received',
  'packets.puback.sent',
  'packets.publish.auth_error',
  'packets.publish.dropped',
  'packets.publish.error',
  'packets.publish.received',
  'packets.publish.sent',
  'packets.pubcomp.received',
  'packets.pubcomp.sent',
  'packets.pubrec.received',
  'packets.pubrec.sent',
  'packets.pubrel.received',
  'packets.pubrel.sent',
  'packets.received',
  'packets.sent',
  'packets.suback.sent',
  'packets.subscribe.auth_error',
  'packets.subscribe.error',
  'packets.subscribe.received',
  'packets.unsuback.sent',
  'packets.unsubscribe.error',
  'packets.unsubscribe.received',
  'session.created',
  'session.discarded',
  'session.resumed',
  'session.takenover',
  'session.terminated',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

export interface BrokerMetrics {
  inc(name: MetricName, by?: number): void;
  has(name: string): name is MetricName;
  /** Every counter, in EMQX's alphabetical order. */
  snapshot(): Record<MetricName, number>;
}

export function createBrokerMetrics(): BrokerMetrics {
  const values = new Map<MetricName, number>(METRIC_NAMES.map((name) => [name, 0]));
  return {
    inc(name, by = 1) {
      values.set(name, (values.get(name) ?? 0) + by);
    },
    has: (name): name is MetricName => values.has(name as MetricName),
    snapshot() {
      return Object.fromEntries(values) as Record<MetricName, number>;
    },
  };
}
