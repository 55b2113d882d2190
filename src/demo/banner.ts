import type { SimDeploymentInfo } from '../simulator/index.ts';
import type { Demo } from './start.ts';

/**
 * What `npm run demo` prints: where to click, the tokens, a ready curl line, and every simulated credential
 * so the same data can be compared with the raw platform and broker APIs. Demo credentials only: all of
 * them are random per run and die with the process.
 */

const CURL_QUERY = JSON.stringify({
  query: '{ deployments(first: 5) { edges { node { deploymentId name status } } } }',
});

/** A shell line that asks the gateway for the deployments as the admin. */
export const curlLine = (demo: Pick<Demo, 'url' | 'tokens'>) =>
  `curl -s ${demo.url}/graphql -H 'Authorization: Bearer ${demo.tokens.admin}' -H 'Content-Type: application/json' -d '${CURL_QUERY}'`;

function deploymentLines(d: SimDeploymentInfo): string[] {
  const mqtt = d.mqttPort();
  const devices = d.mqttUsers.map((user) => `${user.username} / ${user.password}`).join(', ');
  return [
    `    ${d.id}  ${d.name} (${d.type} ${d.version}, project ${d.projectName}, ${d.status})`,
    `      broker API   ${d.apiUrl}   App ID ${d.appId}   App Secret ${d.appSecret}`,
    `      MQTT         ${mqtt === null ? 'not listening while stopped' : `mqtt://127.0.0.1:${mqtt}`}   device logins ${devices}`,
  ];
}

export function demoBanner(demo: Demo, logLevel: string): string {
  const { sim, tokens, url } = demo;
  return [
    '',
    'EMQX Cloud gateway demo (a simulated EMQX Cloud; every credential below is throwaway)',
    '',
    `  GraphiQL     ${url}/graphql   ${demo.tokenInPage ? 'the admin token and example tabs are in place' : 'add the Authorization header under Headers (HOST is not loopback, so no token is put in the page)'}`,
    `  Start page   ${url}/   probes ${url}/healthz ${url}/readyz, Prometheus ${url}/metrics`,
    '',
    '  Tokens (header Authorization: Bearer <token>)',
    `    admin     ${tokens.admin}`,
    `    operator  ${tokens.operator}`,
    `    viewer    ${tokens.viewer}`,
    '',
    '  From a shell:',
    `    ${curlLine(demo)}`,
    '',
    `  Simulated platform API  ${sim.platform.url}   key ${sim.platform.apiKey}   secret ${sim.platform.apiSecret}`,
    `    compare: curl -s -u ${sim.platform.apiKey}:${sim.platform.apiSecret} ${sim.platform.url}/deployments`,
    '  Deployments (broker APIs take the App ID / App Secret as Basic auth):',
    ...sim.deployments().flatMap(deploymentLines),
    '',
    `  ${demo.devices.count()} simulated devices publish telemetry; a deployment that starts later gets its own.`,
    '  A deployment created here answers BROKER_NOT_CONFIGURED for broker fields: the platform API gives no broker',
    '  credentials, so a real gateway needs its App ID / Secret added to the configuration (README, "Created deployments").',
    '',
    `  Logs follow (LOG_LEVEL=${logLevel}). Press Enter to show this again; Ctrl-C stops everything.`,
    '',
  ].join('\n');
}
