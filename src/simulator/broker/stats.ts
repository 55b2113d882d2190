import type { CoreState } from './state.ts';

/** The gauges EMQX reports under `/stats`, each with its `.max` high-water mark. */
const GAUGES = [
  'channels',
  'cluster_sessions',
  'connections',
  'delayed',
  'durable_subscriptions',
  'live_connections',
  'retained',
  'sessions',
  'suboptions',
  'subscribers',
  'subscriptions',
  'subscriptions.shared',
  'topics',
] as const;

export type GaugeName = (typeof GAUGES)[number];
/** `connections.count`, `connections.max`, ... */
export type BrokerStats = Record<`${GaugeName}.count` | `${GaugeName}.max`, number>;

function currentGauges(state: CoreState): Record<GaugeName, number> {
  let live = 0;
  let subscriptions = 0;
  let shared = 0;
  const topics = new Set<string>();
  for (const record of state.sessions.values()) {
    if (record.connection) live++;
    for (const [key, sub] of record.subscriptions) {
      subscriptions++;
      if (key.startsWith('$share/') || key.startsWith('$queue/')) shared++;
      topics.add(sub.filter);
    }
  }
  const sessions = state.sessions.size;
  return {
    channels: sessions,
    cluster_sessions: sessions,
    connections: sessions,
    delayed: 0,
    durable_subscriptions: 0,
    live_connections: live,
    retained: state.retainedMeta.size,
    sessions,
    suboptions: subscriptions,
    subscribers: subscriptions,
    subscriptions,
    'subscriptions.shared': shared,
    topics: topics.size,
  };
}

/** Current gauges; also raises the `.max` marks (call after every change that can raise one). */
export function observeStats(state: CoreState, maxima: Map<GaugeName, number>): BrokerStats {
  const gauges = currentGauges(state);
  const stats: Record<string, number> = {};
  for (const name of GAUGES) {
    const max = Math.max(maxima.get(name) ?? 0, gauges[name]);
    maxima.set(name, max);
    stats[`${name}.count`] = gauges[name];
    stats[`${name}.max`] = max;
  }
  return stats as BrokerStats;
}
