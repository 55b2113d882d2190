import { createSimulator, type Simulator } from './index.ts';

/** `npm run sim`: the EMQX Cloud simulator alone, for pointing a separately started gateway at it. */

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8899;

function platformPort(): number {
  const raw = process.env.SIM_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SIM_PORT must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

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
      '',
    );
  }
  lines.push('Ctrl-C stops everything.');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sim = await createSimulator({ platformPort: platformPort(), host: HOST });
  console.log(summary(sim));
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: closing the simulator`);
    sim.close().then(
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
