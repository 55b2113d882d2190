import type { BrokerResource } from '../../../broker/api.ts';
import { builder } from '../../builder.ts';
import { BrokerResourceRef } from '../queries/integrations.ts';

/** Success types shared by the data-integration mutations (connectors, actions, v4 resources). */

/** `{ <field>: BrokerResource }`: the saved object as EMQX answered it, secrets masked. */
export const resourceResult = (name: string, field: string) =>
  builder.objectRef<{ value: BrokerResource }>(name).implement({
    description: `The ${field} as EMQX saved it (secrets as ******)`,
    fields: (t) => ({ [field]: t.field({ type: BrokerResourceRef, resolve: (r) => r.value }) }),
  });

/** `{ id }`, plus `enabled` for enable/disable. */
export const idResult = (name: string, description: string, withEnabled = false) =>
  builder.objectRef<{ id: string; enabled?: boolean }>(name).implement({
    description,
    fields: (t) => ({
      id: t.exposeString('id'),
      ...(withEnabled ? { enabled: t.boolean({ resolve: (r) => r.enabled === true }) } : {}),
    }),
  });

/** A probe: `ok`, or the code EMQX refused it with (`TEST_FAILED`, `BAD_REQUEST`); never EMQX's text. */
export const probeResult = (name: string) =>
  builder.objectRef<{ ok: boolean; code: string | null }>(name).implement({
    description: 'Whether EMQX accepted the configuration and reached its target; nothing was saved',
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      failureCode: t.string({
        nullable: true,
        description: 'why not, as EMQX’s error code (TEST_FAILED, BAD_REQUEST)',
        resolve: (r) => r.code,
      }),
    }),
  });
