import { PLUGINS, type PluginSpec } from '../catalog/plugins.ts';

export interface PluginState extends PluginSpec {
  active: boolean;
}

/** `emqx_plugins:load/unload/reload` outcomes; errors are the atoms EMQX returns. */
export type PluginResult = 'ok' | 'not_found' | 'already_started' | 'not_started';

/** Which plugins run on the simulated node; minirest serves a plugin's routes only while it is active. */
export interface PluginRegistry {
  list(): PluginState[];
  has(name: string): boolean;
  isActive(name: string): boolean;
  load(name: string): PluginResult;
  unload(name: string): PluginResult;
  reload(name: string): PluginResult;
}

export function createPluginRegistry(): PluginRegistry {
  const active = new Map(PLUGINS.map((spec) => [spec.name, spec.loadedByDefault]));
  const known = (name: string) => active.has(name);
  const load = (name: string): PluginResult => {
    if (!known(name)) return 'not_found';
    if (active.get(name)) return 'already_started';
    active.set(name, true);
    return 'ok';
  };
  const unload = (name: string): PluginResult => {
    if (!known(name)) return 'not_found';
    if (!active.get(name)) return 'not_started';
    active.set(name, false);
    return 'ok';
  };
  return {
    list: () => PLUGINS.map((spec) => ({ ...spec, active: active.get(spec.name) ?? false })),
    has: known,
    isActive: (name) => active.get(name) ?? false,
    load,
    unload,
    reload(name) {
      if (!known(name)) return 'not_found';
      // A stopped plugin is just loaded; a running one is unloaded then loaded again.
      if (active.get(name)) unload(name);
      return load(name);
    },
  };
}
