import type { BrokerCore } from '../../broker/core.ts';
import type { Alarm } from '../../broker/types.ts';
import { rfc3339 } from '../format/time.ts';
import { queryPage } from '../http/paging.ts';
import { boolean, pageParams } from '../http/query.ts';
import { noContent, ok } from '../http/reply.ts';
import type { Route } from '../http/router.ts';

/** `emqx_alarm:format/2`: `duration` in ms, `deactivate_at` only on history entries. */
function formatAlarm(alarm: Alarm, node: string, now: number): Record<string, unknown> {
  const end = alarm.deactivateAt ?? now;
  return {
    node,
    name: alarm.name,
    message: alarm.message,
    details: alarm.details,
    duration: end - alarm.activateAt,
    activate_at: rfc3339(alarm.activateAt),
    ...(alarm.deactivateAt === null ? {} : { deactivate_at: rfc3339(alarm.deactivateAt) }),
  };
}

export function alarmRoutes(core: BrokerCore, now: () => number): Route[] {
  return [
    {
      path: '/alarms',
      methods: {
        GET: ({ query }) => {
          const page = pageParams(query);
          const activated = boolean(query, 'activated') ?? true;
          const alarms = activated ? core.alarms.activated() : core.alarms.deactivated();
          const { data, meta } = queryPage(alarms, page, true);
          return ok({ data: data.map((a) => formatAlarm(a, core.nodeName, now())), meta });
        },
        DELETE: () => {
          core.alarms.clearDeactivated();
          return noContent();
        },
      },
    },
  ];
}
