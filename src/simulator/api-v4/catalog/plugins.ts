/** The plugins an EMQX 4.4.19 open-source node ships, with those loaded by default (`loaded_plugins`). */
export interface PluginSpec {
  name: string;
  description: string;
  type: 'auth' | 'bridge' | 'feature' | 'protocol';
  loadedByDefault: boolean;
}

const plugin = (name: string, description: string, type: PluginSpec['type'], loadedByDefault = false) => ({
  name,
  description,
  type,
  loadedByDefault,
});

export const PLUGINS: readonly PluginSpec[] = [
  plugin('emqx_auth_http', 'EMQX Authentication/ACL with HTTP API', 'auth'),
  plugin('emqx_auth_jwt', 'EMQX Authentication with JWT', 'auth'),
  plugin('emqx_auth_ldap', 'EMQX Authentication/ACL with LDAP', 'auth'),
  plugin('emqx_auth_mnesia', 'EMQX Authentication with Mnesia', 'auth', true),
  plugin('emqx_auth_mongo', 'EMQX Authentication/ACL with MongoDB', 'auth'),
  plugin('emqx_auth_mysql', 'EMQX Authentication/ACL with MySQL', 'auth'),
  plugin('emqx_auth_pgsql', 'EMQX Authentication/ACL with PostgreSQL', 'auth'),
  plugin('emqx_auth_redis', 'EMQX Authentication/ACL with Redis', 'auth'),
  plugin('emqx_bridge_mqtt', 'EMQX Bridge to MQTT Broker', 'bridge'),
  plugin('emqx_coap', 'EMQX CoAP Gateway', 'protocol'),
  plugin('emqx_dashboard', 'EMQX Web Dashboard', 'feature', true),
  plugin('emqx_exhook', 'EMQX Extension for Hook', 'feature'),
  plugin('emqx_exproto', 'EMQX Extension for Protocol', 'protocol'),
  plugin('emqx_lua_hook', 'EMQX Hooks in lua', 'feature'),
  plugin('emqx_lwm2m', 'EMQX LwM2M Gateway', 'protocol'),
  plugin('emqx_management', 'EMQX Management API and CLI', 'feature', true),
  plugin('emqx_prometheus', 'Prometheus for EMQX', 'feature'),
  plugin('emqx_psk_file', 'EMQX PSK Plugin from File', 'feature'),
  plugin('emqx_recon', 'EMQX Recon Plugin', 'feature', true),
  plugin('emqx_retainer', 'EMQX Retainer', 'feature', true),
  plugin('emqx_rule_engine', 'EMQX Rule Engine', 'feature', true),
  plugin('emqx_sn', 'EMQX MQTT-SN Plugin', 'protocol'),
  plugin('emqx_stomp', 'EMQX Stomp Protocol Plugin', 'protocol'),
  plugin('emqx_web_hook', 'EMQX WebHook Plugin', 'feature'),
];
