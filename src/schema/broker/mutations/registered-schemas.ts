import { z } from 'zod';
import type { RegisteredSchema } from '../../../broker/integrations.ts';
import { deploymentId } from '../../../validation/identifiers.ts';
import { registeredSchemaInput, schemaName } from '../../../validation/integration.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { RegisteredSchemaRef, SchemaTypeEnum } from '../queries/integration-catalog.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/** The v5 schema registry (emqx-api.md §4.11): create, replace and delete a schema; v4: NOT_SUPPORTED. */

const RegisteredSchemaInput = builder.inputType('RegisteredSchemaInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: SchemaTypeEnum, required: true }),
    source: t.string({
      required: true,
      description: 'the schema text (Avro/JSON schema as JSON, or .proto)',
    }),
    description: t.string(),
  }),
});

const SchemaSuccess = (name: string) =>
  builder.objectRef<{ schema: RegisteredSchema }>(name).implement({
    description: 'The schema as EMQX saved it',
    fields: (t) => ({ schema: t.field({ type: RegisteredSchemaRef, resolve: (r) => r.schema }) }),
  });

const DeleteRegisteredSchemaSuccess = builder
  .objectRef<{ name: string }>('DeleteRegisteredSchemaSuccess')
  .implement({
    description: 'The schema is gone',
    fields: (t) => ({ name: t.exposeString('name') }),
  });

const schemaArgs = () => z.object({ deploymentId, input: registeredSchemaInput });

builder.mutationFields((t) => ({
  createRegisteredSchema: t.field({
    type: SchemaSuccess('CreateRegisteredSchemaSuccess'),
    description: 'v5 `POST /schema_registry`; a name in use is UPSTREAM_ERROR ALREADY_EXISTS.',
    ...operatorOnly('createRegisteredSchema'),
    errors: { types: MUTATION_ERRORS, union: { name: 'CreateRegisteredSchemaResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: RegisteredSchemaInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'createRegisteredSchema',
      args: schemaArgs,
      target: (a) => [a.input.name],
      invalidates: () => ['schemas'],
      run: async (api, a) => ({ schema: await api.createRegisteredSchema(a.input) }),
    }),
  }),
  updateRegisteredSchema: t.field({
    type: SchemaSuccess('UpdateRegisteredSchemaSuccess'),
    description: 'v5 `PUT /schema_registry/{name}`; an unknown name is NOT_FOUND.',
    ...operatorOnly('updateRegisteredSchema'),
    errors: { types: MUTATION_ERRORS, union: { name: 'UpdateRegisteredSchemaResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      input: t.arg({ type: RegisteredSchemaInput, required: true }),
    },
    resolve: brokerMutation({
      operation: 'updateRegisteredSchema',
      args: schemaArgs,
      target: (a) => [a.input.name],
      invalidates: () => ['schemas'],
      run: async (api, a) => ({ schema: await api.updateRegisteredSchema(a.input) }),
    }),
  }),
  deleteRegisteredSchema: t.field({
    type: DeleteRegisteredSchemaSuccess,
    description: 'v5 `DELETE /schema_registry/{name}`; an unknown name is NOT_FOUND.',
    ...operatorOnly('deleteRegisteredSchema'),
    errors: { types: MUTATION_ERRORS, union: { name: 'DeleteRegisteredSchemaResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'deleteRegisteredSchema',
      args: () => z.object({ deploymentId, name: schemaName }),
      target: (a) => [a.name],
      invalidates: () => ['schemas'],
      run: async (api, a) => {
        await api.deleteRegisteredSchema(a.name);
        return { name: a.name };
      },
    }),
  }),
}));
