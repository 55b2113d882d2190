import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';

/**
 * Removes `last` and `before` from connection fields marked `forwardOnly: true`. EMQX pages forward only
 * (`page`/`limit`), so offering Relay's backward arguments on broker lists would promise what no call can
 * do; clients and code generators read the arguments from introspection, not from an error at run time.
 */
export class PothosForwardOnlyPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>) {
    if (!(fieldConfig.pothosOptions as { forwardOnly?: boolean }).forwardOnly) return fieldConfig;
    const { last: _last, before: _before, ...args } = fieldConfig.args;
    return { ...fieldConfig, args };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      forwardOnly: PothosForwardOnlyPlugin<Types>;
    }
    export interface FieldOptions {
      /** A connection that pages forward only: no `last`/`before` arguments. @default false */
      forwardOnly?: boolean;
    }
  }
}

SchemaBuilder.registerPlugin('forwardOnly', PothosForwardOnlyPlugin);
export default 'forwardOnly' as const;
