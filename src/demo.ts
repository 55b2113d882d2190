import { randomBytes } from 'node:crypto';
import { parseConfig } from './config.ts';
import { createGateway } from './gateway.ts';
import { startDemoDevices } from './simulator/demo-devices.ts';
import { simPortFromEnv } from './simulator/env.ts';
import { createSimulator } from './simulator/index.ts';

/**
 * `npm run demo`: the EMQX Cloud simulator (platform API, one broker per running deployment, v4 and v5) and the
 * gateway wired to it with the in-memory cache, in one process. Ctrl-C stops everything.
 */
async function main() {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 4000);
  const sim = await createSimulator({ host: '127.0.0.1', platformPort: simPortFromEnv(process.env, 0) });
  const devices = startDemoDevices(() => sim.deployments());

  const tokens = {
    admin: `demo-admin-${randomBytes(18).toString('base64url')}`,
    operator: `demo-operator-${randomBytes(18).toString('base64url')}`,
    viewer: `demo-viewer-${randomBytes(18).toString('base64url')}`,
  };
  const deployments = Object.fromEntries(
    sim.deployments().map((d) => [d.id, { apiUrl: d.apiUrl, apiKey: d.appId, apiSecret: d.appSecret }]),
  );
  const config = parseConfig(
    {
      platform: { apiUrl: sim.platform.url, apiKey: sim.platform.apiKey, apiSecret: sim.platform.apiSecret },
      deployments,
      cache: { deploymentsTtlSeconds: 10, brokerTtlSeconds: 2 },
      auth: {
        apiKeys: Object.entries(tokens).map(([role, key]) => ({
          name: `demo-${role}`,
          key,
          role,
          projects: ['*'],
        })),
      },
    },
    { ...process.env, GATEWAY_CONFIG_FILE: '(demo)', HOST: host, PORT: String(port), REDIS_URL: undefined },
  );
  const gateway = createGateway(config);
  const address = await gateway.listen(port, host).catch(async (error: NodeJS.ErrnoException) => {
    await devices.stop();
    await sim.close();
    const reason =
      error.code === 'EADDRINUSE' ? `port ${port} is in use (set PORT to another one)` : error.message;
    console.error(`The demo cannot listen on ${host}:${port}: ${reason}`);
    process.exit(1);
  });

  const lines = [
    '',
    'EMQX Cloud gateway demo',
    `  GraphiQL:        http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/graphql`,
    `  admin token:     ${tokens.admin}`,
    `  operator token:  ${tokens.operator}`,
    `  viewer token:    ${tokens.viewer}`,
    '  In GraphiQL, open the headers tab and add: {"Authorization": "Bearer <admin token>"}',
    '',
    `  Simulated platform API: ${sim.platform.url}`,
    '  Deployments (MQTT on 127.0.0.1, username / password):',
    ...sim.deployments().map((d) => {
      const user = d.mqttUsers[0];
      const mqttPort = d.mqttPort();
      return `    ${d.id}  ${d.name.padEnd(15)} ${d.version}  ${d.status.padEnd(8)} mqtt ${mqttPort ?? '(stopped)'}  ${user ? `${user.username} / ${user.password}` : ''}`;
    }),
    `  ${devices.count()} simulated devices publish telemetry. Ctrl-C stops everything.`,
    '',
  ];
  console.log(lines.join('\n'));

  const stop = async () => {
    await devices.stop();
    await gateway.close(1000);
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
