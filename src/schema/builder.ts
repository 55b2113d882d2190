import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { hasRole } from '../auth/caller.ts';
import type { GatewayContext } from '../context.ts';
import { BadUserInputError, ExpectedError, ForbiddenError } from '../errors.ts';
import { fieldCost } from '../security/field-cost.ts';
import ScopeFirstPlugin from '../security/scope-first-plugin.ts';
import BrokerAuditPlugin from './audit-plugin.ts';
import ForwardOnlyPlugin from './forward-only-plugin.ts';
import { decodeGlobalID, encodeGlobalID } from './global-id.ts';

/** The one schema builder. It defines no types: each domain file under schema/ adds its own. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
  AuthScopes: { viewer: boolean; operator: boolean; admin: boolean };
  DefaultFieldNullability: false;
}>({
  // ScopeFirst sits inside Errors (so its FORBIDDEN becomes a result union member) and checks root-field roles
  // before Validation's argument mappers run.
  plugins: [
    ScopeAuthPlugin,
    ErrorsPlugin,
    // Sees role refusals of broker mutations as thrown errors, for the audit trail.
    BrokerAuditPlugin,
    ScopeFirstPlugin,
    ValidationPlugin,
    RelayPlugin,
    ForwardOnlyPlugin,
    DataloaderPlugin,
    ComplexityPlugin,
  ],
  defaultFieldNullability: false,
  scopeAuth: {
    // Subscriptions are refused when they start, not with an error on every event.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      viewer: hasRole(context.caller, 'viewer'),
      operator: hasRole(context.caller, 'operator'),
      admin: hasRole(context.caller, 'admin'),
    }),
    unauthorizedError: (_parent, _context, info) =>
      new ForbiddenError(`Your role may not use ${info.parentType.name}.${info.fieldName}`),
  },
  errors: {
    defaultTypes: [ExpectedError],
    directResult: true,
    unsafelyHandleInputErrors: true,
  },
  validation: {
    validationError: (result) => {
      const issue = result.issues[0];
      const field = issue?.path?.map((part) => String(typeof part === 'object' ? part.key : part)).join('.');
      return new BadUserInputError(
        field ? `${field}: ${issue?.message}` : (issue?.message ?? 'Invalid input'),
        field,
      );
    },
  },
  relay: {
    encodeGlobalID,
    decodeGlobalID,
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { nullable: true },
    nodesQueryOptions: false,
  },
  // Costs connections by the page size asked for; the limit itself is enforced by security/use-cost-limit.ts.
  complexity: { fieldComplexity: fieldCost },
});
