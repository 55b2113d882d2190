import { NotFoundError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import { parseBody } from '../../call.ts';
import type { BrokerIntegrationApi, RegisteredSchema } from '../../integrations.ts';
import { withoutEchoes, writePath } from '../../write-support.ts';
import { registeredSchemaSchema } from '../integrations.ts';

/**
 * v5 schema registry writes (emqx-api.md §4.11): POST 201 (400 ALREADY_EXISTS), PUT 200 with the body
 * without its name, DELETE 204; an unknown name is 404.
 */

const wire = (s: RegisteredSchema) => ({
  type: s.type.toLowerCase(),
  source: s.source,
  description: s.description,
});
const notFound = (name: string) => new NotFoundError(`No schema ${name} in this deployment's registry`);

export function v5SchemaRegistryWrites(
  t: BrokerTransport,
): Pick<
  BrokerIntegrationApi,
  'createRegisteredSchema' | 'updateRegisteredSchema' | 'deleteRegisteredSchema'
> {
  return {
    createRegisteredSchema: (schema) =>
      withoutEchoes('schema', async () => {
        const path = writePath('/schema_registry');
        const reply = await t.send({
          domain: 'schemas',
          method: 'POST',
          path,
          body: { name: schema.name, ...wire(schema) },
        });
        return parseBody(registeredSchemaSchema, reply.body, path.route);
      }),
    updateRegisteredSchema: (schema) =>
      withoutEchoes('schema', async () => {
        const path = writePath('/schema_registry/{name}', { name: schema.name });
        const reply = await t.send({
          domain: 'schemas',
          method: 'PUT',
          path,
          body: wire(schema),
          accept: [404],
        });
        if (reply.status === 404) throw notFound(schema.name);
        return parseBody(registeredSchemaSchema, reply.body, path.route);
      }),
    deleteRegisteredSchema: (name) =>
      withoutEchoes('schema', async () => {
        const path = writePath('/schema_registry/{name}', { name });
        const reply = await t.send({ domain: 'schemas', method: 'DELETE', path, accept: [404] });
        if (reply.status === 404) throw notFound(name);
      }),
  };
}
