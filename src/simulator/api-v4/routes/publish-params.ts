import type { Qos } from '../../broker/types.ts';
import { getParam, isJsonObject, type ParamItem } from '../http/params.ts';
import { isValidTopic } from '../query/topic.ts';

/** Anything `parse_publish_params/1` trips over; the publish API answers `{code:108, message:"bad_params"}`. */
export class BadPublishParams extends Error {}

export interface ParsedPublish {
  topics: string[];
  clientId: unknown;
  qos: unknown;
  retain: unknown;
  payload: Buffer;
}

/**
 * `topics(Type, Topic, Topics)`: `topic` wins over `topics`; either is split on commas and the invalid
 * ones are silently dropped. A non-string crashes `binary:split/3`.
 */
export function splitTopics(kind: 'name' | 'filter', items: readonly ParamItem[]): string[] {
  const topic = getParam(items, 'topic');
  const value = topic === undefined ? (getParam(items, 'topics') ?? '') : topic;
  if (typeof value !== 'string') throw new BadPublishParams('binary:split on a non-binary');
  return value.split(',').filter((t) => isValidTopic(kind, t));
}

/** `resp_topic/2`: what a batch result reports as its topic. */
export const respTopic = (items: readonly ParamItem[]): unknown =>
  getParam(items, 'topic') ?? getParam(items, 'topics') ?? '';

function decodeBase64(payload: unknown): Buffer {
  if (typeof payload !== 'string') throw new BadPublishParams('base64:decode on a non-binary');
  const compact = payload.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new BadPublishParams('base64:decode badarg');
  }
  return Buffer.from(compact, 'base64');
}

/** `maybe_maps_to_binary/1`: a non-string payload (object, number, …) is sent as its JSON text. */
function payloadOf(items: readonly ParamItem[]): Buffer {
  const payload = getParam(items, 'payload') ?? '';
  const decoded = getParam(items, 'encoding') === 'base64' ? decodeBase64(payload) : payload;
  if (Buffer.isBuffer(decoded)) return decoded;
  return Buffer.from(typeof decoded === 'string' ? decoded : JSON.stringify(decoded));
}

const PROPERTY_NAMES = new Set([
  'payload_format_indicator',
  'message_expiry_interval',
  'response_topic',
  'correlation_data',
  'user_properties',
  'subscription_identifier',
  'content_type',
]);

/**
 * jsx decodes `{}` as `[{}]`, which the property folds cannot destructure: an empty object crashes them,
 * so it is as bad as an unknown name or a non-object.
 */
function checkPropertyList(value: unknown, check: (name: string, v: unknown) => void): void {
  if (Array.isArray(value) && value.length === 0) return;
  if (!isJsonObject(value) || Object.keys(value).length === 0)
    throw new BadPublishParams('bad property list');
  for (const [name, v] of Object.entries(value)) check(name, v);
}

const checkUserProperty = (_name: string, value: unknown) => {
  if (!['string', 'number', 'boolean'].includes(typeof value)) throw new BadPublishParams('user property');
};

/** `parse_props/1`: validated but otherwise unused by the simulated MQTT 3.1.1 broker. */
function checkProperties(items: readonly ParamItem[]): void {
  const properties = getParam(items, 'properties');
  if (properties !== undefined) {
    checkPropertyList(properties, (name, value) => {
      if (!PROPERTY_NAMES.has(name)) throw new BadPublishParams(`invalid_property ${name}`);
      if (name === 'user_properties') checkPropertyList(value, checkUserProperty);
    });
  }
  const legacy = getParam(items, 'user_properties');
  if (legacy !== undefined) checkPropertyList(legacy, checkUserProperty);
}

/** `parse_publish_params/1`; throws `BadPublishParams`. */
export function parsePublish(items: readonly ParamItem[]): ParsedPublish {
  const topics = splitTopics('name', items);
  const payload = payloadOf(items);
  checkProperties(items);
  return {
    topics,
    clientId: getParam(items, 'clientid'),
    qos: getParam(items, 'qos') ?? 0,
    retain: getParam(items, 'retain') ?? false,
    payload,
  };
}

export const isQos = (value: unknown): value is Qos => value === 0 || value === 1 || value === 2;
