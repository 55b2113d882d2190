import { openStream, topicFeed } from '../../live/open-stream.ts';
import { ALARM_EVENT_FILTERS, type AlarmEvent, toAlarmEvent } from '../../live/sys-events.ts';
import { requireVisibleDeployment } from '../../platform/access.ts';
import { deploymentId } from '../../validation/identifiers.ts';
import { builder } from '../builder.ts';
import { eventValue } from './stream-events.ts';

/** alarmEvents (viewer): alarms raised and cleared, from EMQX's `$SYS/brokers/<node>/alarms/...` messages. */

const AlarmEventKindEnum = builder.enumType('AlarmEventKind', {
  values: ['ACTIVATED', 'DEACTIVATED'] as const,
});

const AlarmEventRef = builder.objectRef<AlarmEvent & { deploymentId: string }>('AlarmEvent').implement({
  description: 'An alarm raised or cleared on a deployment',
  fields: (t) => ({
    deploymentId: t.exposeString('deploymentId'),
    kind: t.field({ type: AlarmEventKindEnum, resolve: (e) => e.kind }),
    name: t.exposeString('name'),
    message: t.exposeString('message', { nullable: true }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.details }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
  }),
});

builder.subscriptionField('alarmEvents', (t) =>
  t.field({
    type: AlarmEventRef,
    description: 'viewer: alarms raised and cleared, from $SYS/brokers/<node>/alarms/activate|deactivate',
    args: { deploymentId: t.arg.string({ required: true, validate: deploymentId }) },
    subscribe: async (_root, args, context) => {
      const deployment = await requireVisibleDeployment(context, args.deploymentId);
      return openStream(
        context,
        { field: 'alarmEvents' },
        topicFeed(context, deployment, ALARM_EVENT_FILTERS, (message) => {
          const event = toAlarmEvent(message);
          return event && { ...event, deploymentId: deployment.deploymentId };
        }),
      );
    },
    resolve: (event) => eventValue(event),
  }),
);
