import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface IntrospectionSwitchOptions {
  /**
   * Whether `__schema` and `__type` are answered. When off, error messages also stop suggesting names
   * ("Did you mean …?"), which would otherwise let a caller rebuild the schema field by field.
   * @default true
   */
  introspection: boolean;
}

const SUGGESTION = /\s*Did you mean .*\?$/s;

function withoutSuggestion(error: Error): GraphQLError {
  const original = error as GraphQLError;
  if (!SUGGESTION.test(error.message)) return original;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: original.nodes,
    path: original.path,
    extensions: original.extensions,
  });
}

/**
 * `__schema` and `__type` exist only on the query root, so refusing them by name is exact; graphql's own
 * NoSchemaIntrospectionCustomRule is not used because its type checks fail across graphql's CJS/ESM builds.
 */
function NoIntrospectionRule(context: ValidationContext) {
  return {
    Field(node: { name: { value: string } }) {
      if (node.name.value === '__schema' || node.name.value === '__type')
        context.reportError(
          new GraphQLError(`Introspection is turned off on this gateway (security.introspection)`, {
            extensions: { code: 'FORBIDDEN' },
          }),
        );
    },
  };
}

/** Turns schema introspection off for production, where callers know the schema from its published SDL. */
export function useIntrospectionSwitch({ introspection }: IntrospectionSwitchOptions): Plugin {
  if (introspection) return {};
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoIntrospectionRule);
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map(withoutSuggestion));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors?.length)
            setResult({ ...result, errors: result.errors.map(withoutSuggestion) });
        },
      };
    },
  };
}
