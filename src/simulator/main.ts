import { writeFileSync } from 'node:fs';
import { startDemoDevices } from './demo-devices.ts';
import { simPortFromEnv } from './env.ts';
import { createSimulator, type Simulator } from './index.ts';

/** `npm run sim`: the EMQX Cloud simulator alone, for pointing a separately started gateway at it. */

/** Address every listener binds (`0.0.0.0` inside a container). */
const HOST = process.env.SIM_HOST || '127.0.0.1';
/** Host name other machines use to reach this simulator (e.g. the compose service name). */
const PUBLIC_HOST = process.env.SIM_PUBLIC_HOST || (HOST === '0.0.0.0' ? '127.0.0.1' : HOST);
const DEFAULT_PORT = 8899;

function summary(sim: Simulator): string {
  const lines = [
    'EMQX Cloud simulator',
    `  Platform API  ${sim.platform.url}`,
    `  API key       ${sim.platform.apiKey}`,
    `  API secret    ${sim.platform.apiSecret}`,
    '',
  ];
  for (const deployment of sim.deployments()) {
    const mqtt = deployment.mqttPort();
    lines.push(
      `  ${deployment.id}  ${deployment.name} (${deployment.type} ${deployment.version}, ${deployment.projectName}, ${deployment.status})`,
      `    API URL     ${deployment.apiUrl}`,
      `    App ID      ${deployment.appId}`,
      `    App secret  ${deployment.appSecret}`,
      `    MQTT        ${mqtt === null ? 'not listening (deployment not running)' : `mqtt://${HOST}:${mqtt}`}`,
      ...deployment.mqttUsers.map((user) => `    device      ${user.username} / ${user.password}`),
      ...(deployment.gatewayMqttUser
        ? [
            `    gateway     ${deployment.gatewayMqttUser.username} / ${deployment.gatewayMqttUser.password} ($SYS/# allowed)`,
          ]
        : []),
      '',
    );
  }
  lines.push('Ctrl-C stops everything.');
  return lines.join('\n');
}

const advertise = (url: string) => url.replace(`//${HOST}:`, `//${PUBLIC_HOST}:`);

/**
 * Writes a gateway configuration for this simulator (SIM_GATEWAY_CONFIG), as docker-compose uses it: the
 * simulator's own throwaway credentials, and an admin API key taken from the gateway's GATEWAY_ADMIN_TOKEN.
 */
function writeGatewayConfig(sim: Simulator, file: string) {
  const deployments = Object.fromEntries(
    sim
      .deployments()
      .map((d) => [d.id, { apiUrl: advertise(d.apiUrl), apiKey: d.appId, apiSecret: d.appSecret }]),
  );
  const config = {
    platform: {
      apiUrl: advertise(sim.platform.url),
      apiKey: sim.platform.apiKey,
      apiSecret: sim.platform.apiSecret,
    },
    deployments,
    auth: {
      apiKeys: [{ name: 'compose-admin', key: '${GATEWAY_ADMIN_TOKEN}', role: 'admin', projects: ['*'] }],
    },
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

async function main(): Promise<void> {
  const sim = await createSimulator({ platformPort: simPortFromEnv(process.env, DEFAULT_PORT), host: HOST });
  const devices = startDemoDevices(() => sim.deployments());
  console.log(summary(sim));
  console.log(`${devices.count()} simulated devices publish telemetry.`);
  if (process.env.SIM_GATEWAY_CONFIG) {
    writeGatewayConfig(sim, process.env.SIM_GATEWAY_CONFIG);
    console.log(`Wrote a gateway configuration to ${process.env.SIM_GATEWAY_CONFIG}`);
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: closing the simulator`);
    Promise.all([devices.stop()])
      .then(() => sim.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
