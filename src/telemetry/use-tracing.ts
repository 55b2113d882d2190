import type { Context, Span } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { context, propagation, SpanKind, SpanStatusCode, trace, tracer } from './spans.ts';

export interface TracingPluginOptions {
  /** Continue a caller's trace from its W3C `traceparent` header (`tracing.acceptTraceparent`). */
  acceptTraceparent: boolean;
}

const headerGetter = {
  keys: (carrier: Headers) => [...carrier.keys()],
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
};

const codesOf = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined) =>
  [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN')))].sort();

/**
 * One span per GraphQL operation (`graphql.operation`, named after the operation), the parent of every upstream
 * call and Redis command its resolvers make: execution runs inside it. Attributes: the operation's type and
 * name, and its outcome (`graphql.error.codes` when any field failed).
 */
export function useTracing({ acceptTraceparent }: TracingPluginOptions): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const name = operation?.name?.value ?? args.operationName ?? '';
      const request = (args.contextValue as { request?: Request }).request;
      const parent: Context =
        acceptTraceparent && request
          ? propagation.extract(context.active(), request.headers, headerGetter)
          : context.active();
      const span: Span = tracer().startSpan(
        `graphql.operation ${type}${name ? ` ${name}` : ''}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name },
        },
        parent,
      );
      const active = trace.setSpan(parent, span);
      setExecuteFn((executeArgs) => context.with(active, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? result.errors : undefined;
          const codes = codesOf(errors as never);
          span.setAttribute('graphql.outcome', codes.length === 0 ? 'ok' : 'error');
          if (codes.length > 0) {
            span.setAttribute('graphql.error.codes', codes);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
  };
}
