/**
 * The operations the demo's GraphiQL opens with, one tab each (GraphiQL names a tab after its operation).
 * They run as written against a fresh demo; test/integration/demo-examples.test.ts runs every one.
 */
export const DEMO_EXAMPLES: string[] = [
  `# Every deployment of the account, cached fleet-wide; \`freshness\` says where the answer came from.
# Run with the ▶ button or Ctrl-Enter. The other tabs hold more examples; the docs (book icon) list every type.
query Deployments {
  deployments(first: 10) {
    totalCount
    edges { node { deploymentId name type status version projectName freshness { source ageSeconds } } }
  }
  upstreamQuotas { endpoint limit remaining resetsAt }
}
`,
  `# Broker data of the running dedicated deployments (v4 and v5 answer with the same types).
query Brokers {
  deployments(first: 5, filter: { status: [RUNNING], type: [DEDICATED] }) {
    edges { node {
      deploymentId name version
      stats { connections subscriptions retained }
      clients(first: 10) {
        totalCount
        edges { node { clientId username protoVer connected subscriptions { topic qos } } }
      }
    } }
  }
}
`,
  `# Messages the demo devices keep retained (their online status, and one device's last reading).
query Retained {
  deployment(deploymentId: "a1b2c3d4") {
    name
    retainedMessages(first: 20) { totalCount edges { node { topic qos fromClientId publishedAt } } }
  }
}
`,
  `# A message to every demo device of factory-v5 (they subscribe to fleet/broadcast). Needs the operator role.
mutation Broadcast {
  publish(deploymentId: "a1b2c3d4", input: { topic: "fleet/broadcast", payload: "hello devices", qos: 1 }) {
    __typename
    ... on PublishSuccess { delivered }
    ... on Error { code message }
  }
}
`,
  `# Starts the stopped analytics-v4 deployment (admin only; the platform allows 5 starts an hour). Its
# devices connect once it runs; the deployments list shows RUNNING at its next refresh.
mutation StartAnalytics {
  startDeployment(deploymentId: "f3a4b5c6") {
    __typename
    ... on StartDeploymentSuccess { deployment { deploymentId status } }
    ... on Error { code message }
    ... on RateLimitedError { retryAfterSeconds }
  }
}
`,
  `# Live data: the demo devices' telemetry as it arrives (operator; over SSE). Ends after 5 messages; ▶ for more.
subscription Telemetry {
  mqttMessages(deploymentId: "a1b2c3d4", topicFilter: "#", maxMessages: 5) {
    topic payload qos retain receivedAt
  }
}
`,
];
