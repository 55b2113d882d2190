import { z } from 'zod';
import { deploymentId } from '../../../validation/identifiers.ts';
import { builder } from '../../builder.ts';
import { MUTATION_ERRORS } from '../../errors.ts';
import { writeArgs } from '../../write-args.ts';
import { brokerMutation, operatorOnly } from './define.ts';

/**
 * Loading, unloading and reloading a v4 plugin on one node (operator, as every broker mutation; CONTRACT §3).
 * v5 has no such plugins and answers NOT_SUPPORTED.
 */

/** Erlang node names (`emqx@10.0.1.17`) and plugin names (`emqx_web_hook`) as EMQX v4 prints them. */
const nodeName = z
  .string()
  .max(255, 'node is longer than 255 characters')
  .regex(/^[A-Za-z0-9_.-]+@[A-Za-z0-9_.:-]+$/, 'node must look like emqx@10.0.1.17');
const pluginName = z
  .string()
  .max(255, 'plugin is longer than 255 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'plugin must look like emqx_web_hook');

interface PluginChange {
  node: string;
  plugin: string;
  enabled: boolean | null;
  changed: boolean;
}

const PluginChangeRef = builder.objectRef<PluginChange>('PluginChange').implement({
  fields: (t) => ({
    node: t.exposeString('node'),
    plugin: t.exposeString('plugin'),
    enabled: t.exposeBoolean('enabled', {
      nullable: true,
      description: 'the state asked for (null: reload)',
    }),
    changed: t.exposeBoolean('changed', { description: 'false: the plugin already was in that state' }),
  }),
});

const SetPluginEnabledSuccess = builder.objectRef<PluginChange>('SetPluginEnabledSuccess').implement({
  description: 'The plugin now runs (enabled) or not on that node',
  fields: (t) => ({ change: t.field({ type: PluginChangeRef, resolve: (c) => c }) }),
});

const ReloadPluginSuccess = builder.objectRef<PluginChange>('ReloadPluginSuccess').implement({
  description: 'The plugin was stopped and started again with its current configuration',
  fields: (t) => ({ change: t.field({ type: PluginChangeRef, resolve: (c) => c }) }),
});

const target = (args: { node: string; plugin: string }) => [`${args.node}/${args.plugin}`];

builder.mutationFields((t) => ({
  setPluginEnabled: t.field({
    type: SetPluginEnabledSuccess,
    description:
      'v4 `PUT /nodes/{node}/plugins/{plugin}/load` (enabled) or `/unload`; an unknown node or plugin is ' +
      'NOT_FOUND. NOT_SUPPORTED on v5.',
    ...operatorOnly('setPluginEnabled'),
    errors: { types: MUTATION_ERRORS, union: { name: 'SetPluginEnabledResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      node: t.arg.string({ required: true, description: 'as Deployment.plugins shows it' }),
      plugin: t.arg.string({ required: true }),
      enabled: t.arg.boolean({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'setPluginEnabled',
      args: () => z.object({ deploymentId, node: nodeName, plugin: pluginName, enabled: z.boolean() }),
      target,
      invalidates: () => ['plugins'],
      run: async (api, args) => {
        const { changed } = await api.setPluginEnabled(args.node, args.plugin, args.enabled);
        return { node: args.node, plugin: args.plugin, enabled: args.enabled, changed };
      },
    }),
  }),
  reloadPlugin: t.field({
    type: ReloadPluginSuccess,
    description: 'v4 `PUT /nodes/{node}/plugins/{plugin}/reload`. NOT_SUPPORTED on v5.',
    ...operatorOnly('reloadPlugin'),
    errors: { types: MUTATION_ERRORS, union: { name: 'ReloadPluginResult' } },
    args: {
      ...writeArgs(t.arg),
      deploymentId: t.arg.string({ required: true }),
      node: t.arg.string({ required: true }),
      plugin: t.arg.string({ required: true }),
    },
    resolve: brokerMutation({
      operation: 'reloadPlugin',
      args: () => z.object({ deploymentId, node: nodeName, plugin: pluginName }),
      target,
      invalidates: () => ['plugins'],
      run: async (api, args) => {
        await api.reloadPlugin(args.node, args.plugin);
        return { node: args.node, plugin: args.plugin, enabled: null, changed: true };
      },
    }),
  }),
}));
