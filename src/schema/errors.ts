import { BadUserInputError, ExpectedError, RateLimitedError, UpstreamError } from '../errors.ts';
import { builder } from './builder.ts';

/**
 * Expected outcomes as schema types: every mutation result union holds its success type and these.
 * A thrown value that is not an ExpectedError is a bug, masked by Yoga.
 */
export const ErrorInterface = builder.interfaceRef<ExpectedError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

builder.objectType(ExpectedError, {
  name: 'GatewayError',
  description: 'A refused or failed operation; `code` is one of the codes in docs/CONTRACT.md §4',
  interfaces: [ErrorInterface],
  isTypeOf: (value) =>
    value instanceof ExpectedError &&
    !(
      value instanceof RateLimitedError ||
      value instanceof BadUserInputError ||
      value instanceof UpstreamError
    ),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

builder.objectType(BadUserInputError, {
  name: 'BadUserInputError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof BadUserInputError,
  fields: (t) => ({ field: t.exposeString('field', { nullable: true }) }),
});

builder.objectType(UpstreamError, {
  name: 'UpstreamError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UpstreamError,
  fields: (t) => ({ upstreamCode: t.exposeString('upstreamCode') }),
});

/** The error classes every mutation lists, most specific first. */
export const MUTATION_ERRORS = [RateLimitedError, BadUserInputError, UpstreamError, ExpectedError];
