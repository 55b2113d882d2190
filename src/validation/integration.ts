import { z } from 'zod';
import type { ActionWrite, ConnectorWrite, RegisteredSchema, ResourceWrite } from '../broker/integrations.ts';

/**
 * Data-integration input (connectors, actions, v4 resources, registered schemas), checked before any call.
 * Names follow `emqx_resource:validate_name/1`; configurations are JSON objects of bounded size whose
 * type-specific fields EMQX checks itself.
 */

const NAME = /^[0-9a-zA-Z][-.0-9a-zA-Z_]*$/;
const MAX_CONFIG_BYTES = 65_536;

/** A connector, action or schema name (also a v4 action or resource type name). */
export const integrationName = z
  .string()
  .max(255, 'names are at most 255 characters')
  .regex(NAME, 'names start with a letter or digit and hold only letters, digits, - . _');

/** An action or connector type such as `http` or `kafka_producer`. */
export const integrationType = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'types are lowercase letters, digits and _ (e.g. http, kafka_producer)');

/** A v5 action or connector id, `"<type>:<name>"`. */
export const integrationIdArg = z.string().superRefine((value, ctx) => {
  const at = value.indexOf(':');
  const ok =
    at > 0 &&
    integrationType.safeParse(value.slice(0, at)).success &&
    integrationName.safeParse(value.slice(at + 1)).success;
  if (!ok) ctx.addIssue({ code: 'custom', message: 'ids are "<type>:<name>", e.g. http:my_webhook' });
});

export const schemaName = integrationName;

/** A v4 resource id (`resource:b12d3e44` or the caller's own). */
export const resourceId = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,255}$/, 'resource ids hold only letters, digits and _ . : @ -')
  .refine((v) => v !== '.' && v !== '..', 'resource id may not be "." or ".."');

const RESERVED = ['type', 'name', 'connector', 'parameters', 'enable', 'description'];

/** A configuration object: JSON, bounded, without the keys the gateway sets from its own arguments. */
export const configObject = (reserved: readonly string[] = []) =>
  z
    .record(z.string(), z.unknown(), 'must be a JSON object')
    .refine((c) => JSON.stringify(c).length <= MAX_CONFIG_BYTES, 'is larger than 64 KiB')
    .superRefine((c, ctx) => {
      const clash = Object.keys(c).find((k) => reserved.includes(k));
      if (clash)
        ctx.addIssue({ code: 'custom', message: `"${clash}" is an argument of its own, not part of config` });
    });

const description = z
  .string()
  .max(1024, 'description is too long')
  .nullish()
  .transform((v) => v ?? null);
const enabled = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);

export const connectorInput = z
  .object({
    type: integrationType,
    name: integrationName,
    config: configObject(RESERVED),
    description,
    enabled,
  })
  .transform((c): ConnectorWrite => c);

/** An update names the connector by id; its type and name come from there (`splitId`). */
export const connectorUpdate = z.object({ config: configObject(RESERVED), description, enabled });

const actionFields = {
  connector: integrationName,
  parameters: configObject(),
  config: configObject(RESERVED)
    .nullish()
    .transform((v) => v ?? {}),
  description,
  enabled,
};

export const actionInput = z
  .object({ type: integrationType, name: integrationName, ...actionFields })
  .transform((a): ActionWrite => a);

export const actionUpdate = z.object(actionFields);

export const resourceInput = z
  .object({
    id: resourceId.nullish().transform((v) => v ?? null),
    type: integrationType,
    config: configObject(),
    description,
  })
  .transform((r): ResourceWrite => r);

export const registeredSchemaInput = z
  .object({
    name: schemaName,
    type: z.enum(['AVRO', 'PROTOBUF', 'JSON']),
    source: z
      .string()
      .min(1, 'source may not be empty')
      .max(MAX_CONFIG_BYTES, 'source is larger than 64 KiB'),
    description: z.string().max(1024, 'description is too long').nullish(),
  })
  .transform((s): RegisteredSchema => ({ ...s, description: s.description ?? '' }));

/** `"<type>:<name>"` → its parts (the id was validated by `integrationIdArg`). */
export function splitId(id: string): { type: string; name: string } {
  const at = id.indexOf(':');
  return { type: id.slice(0, at), name: id.slice(at + 1) };
}
