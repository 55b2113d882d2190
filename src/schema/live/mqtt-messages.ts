import { z } from 'zod';
import type { LiveMessage } from '../../live/message.ts';
import { toLiveMessage } from '../../live/message.ts';
import { openStream, topicFeed } from '../../live/open-stream.ts';
import { liveTopicFilter } from '../../live/topic-filter.ts';
import { requireVisibleDeployment } from '../../platform/access.ts';
import { deploymentId } from '../../validation/identifiers.ts';
import { PayloadEncodingEnum } from '../broker/mutations/publish.ts';
import { builder } from '../builder.ts';
import { eventValue } from './stream-events.ts';

/** mqttMessages (operator): a deployment's messages on a topic filter, read through its shared MQTT link. */

type MqttMessageValue = LiveMessage & { deploymentId: string; droppedBefore: number };

const MqttMessageRef = builder.objectRef<MqttMessageValue>('MqttMessage').implement({
  description: 'A message as EMQX delivered it to the gateway',
  fields: (t) => ({
    deploymentId: t.exposeString('deploymentId'),
    topic: t.exposeString('topic'),
    payload: t.exposeString('payload', {
      nullable: true,
      description: 'UTF-8 text, or base64 when payloadEncoding is BASE64; null above limits.maxPayloadBytes',
    }),
    payloadEncoding: t.field({ type: PayloadEncodingEnum, resolve: (m) => m.payloadEncoding }),
    payloadBytes: t.exposeInt('payloadBytes'),
    qos: t.exposeInt('qos'),
    retain: t.exposeBoolean('retain'),
    receivedAt: t.field({ type: 'DateTime', resolve: (m) => m.receivedAt }),
    droppedBefore: t.exposeInt('droppedBefore', {
      description: 'messages dropped for this stream since the previous one (it was read too slowly)',
    }),
  }),
});

builder.subscriptionField('mqttMessages', (t) =>
  t.field({
    type: MqttMessageRef,
    authScopes: { operator: true },
    description:
      'operator: messages on a topic filter, as EMQX delivers them; completes after maxMessages or durationSeconds',
    args: {
      deploymentId: t.arg.string({ required: true, validate: deploymentId }),
      topicFilter: t.arg.string({ required: true, validate: liveTopicFilter }),
      maxMessages: t.arg.int({ validate: z.number().int().min(1).max(10_000) }),
      durationSeconds: t.arg.int({ validate: z.number().int().min(1).max(3600) }),
    },
    subscribe: async (_root, args, context) => {
      const deployment = await requireVisibleDeployment(context, args.deploymentId);
      const { maxPayloadBytes } = context.services.config.limits;
      return openStream(
        context,
        {
          field: 'mqttMessages',
          ...(args.maxMessages == null ? {} : { maxItems: args.maxMessages }),
          ...(args.durationSeconds == null ? {} : { durationSeconds: args.durationSeconds }),
        },
        topicFeed(context, deployment, [args.topicFilter], (message) => ({
          ...toLiveMessage(message, maxPayloadBytes),
          deploymentId: deployment.deploymentId,
        })),
      );
    },
    resolve: (event) => eventValue(event),
  }),
);
