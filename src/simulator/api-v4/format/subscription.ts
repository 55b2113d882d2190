import { parseShared } from '../../broker/topic.ts';
import type { SubscriptionInfo } from '../../broker/types.ts';
import { filenameJoin } from './units.ts';

/** A subscription as EMQX's `emqx_suboption` table holds it: the bare filter plus its share group. */
export interface SubOption {
  clientid: string;
  /** Bare topic filter (no `$share/<group>/`). */
  topic: string;
  share: string | null;
  qos: number;
  node: string;
}

export function toSubOption(sub: SubscriptionInfo): SubOption {
  const { group, filter } = parseShared(sub.topic);
  return { clientid: sub.clientId, topic: filter, share: group, qos: sub.qos, node: sub.node };
}

/** `emqx_mgmt_api_subscriptions:format/1`: shared ones come back as `$share/<group>/<topic>`. */
export function formatSubscription(sub: SubOption): Record<string, unknown> {
  const topic = sub.share === null ? sub.topic : filenameJoin(['$share', sub.share, sub.topic]);
  return { node: sub.node, topic, clientid: sub.clientid, qos: sub.qos };
}
