import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Pool } from 'undici';

/**
 * Arm D0: a hand-written BFF that makes the same REST calls to the simulator with undici (no GraphQL, no
 * cache) and composes the dashboard answer itself. Per deployment it sends the three calls in parallel:
 * a page of clients, the subscription table and the stats. BENCH_D0_CONFIG names the gateway config JSON.
 */

interface Broker {
  id: string;
  v4: boolean;
  base: string;
  pool: Pool;
  auth: string;
}

const config = JSON.parse(readFileSync(process.env.BENCH_D0_CONFIG as string, 'utf8'));
const ids: string[] = JSON.parse(process.env.BENCH_D0_IDS as string);
const brokers: Broker[] = ids.map((id) => {
  const { apiUrl, apiKey, apiSecret } = config.deployments[id];
  const url = new URL(apiUrl);
  return {
    id,
    v4: apiUrl.endsWith('/api/v4'),
    base: url.pathname,
    pool: new Pool(url.origin, { connections: 8 }),
    auth: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
  };
});

async function get(broker: Broker, path: string): Promise<any> {
  const { statusCode, body } = await broker.pool.request({
    method: 'GET',
    path: `${broker.base}${path}`,
    headers: { authorization: broker.auth, accept: 'application/json' },
  });
  const json = (await body.json()) as any;
  if (statusCode !== 200 || (broker.v4 && json.code !== 0)) throw new Error(`${path} failed`);
  return json;
}

async function board(broker: Broker) {
  const [clients, subscriptions, stats] = await Promise.all([
    get(broker, broker.v4 ? '/clients?_page=1&_limit=25' : '/clients?page=1&limit=25'),
    get(broker, broker.v4 ? '/subscriptions?_page=1&_limit=1000' : '/subscriptions?page=1&limit=1000'),
    get(broker, broker.v4 ? '/stats' : '/stats?aggregate=true'),
  ]);
  const counters = broker.v4 ? stats.data[0].stats : stats;
  const byClient = new Map<string, Array<{ topic: string; qos: number }>>();
  for (const s of subscriptions.data) {
    const list = byClient.get(s.clientid) ?? [];
    list.push({ topic: s.topic, qos: s.qos });
    byClient.set(s.clientid, list);
  }
  return {
    deploymentId: broker.id,
    stats: { connections: counters['connections.count'], subscriptions: counters['subscriptions.count'] },
    clients: {
      totalCount: clients.meta?.count ?? null,
      edges: clients.data.map((c: any) => ({
        node: {
          clientId: c.clientid,
          username: c.username,
          connected: c.connected,
          subscriptions: byClient.get(c.clientid) ?? [],
        },
      })),
    },
  };
}

const server = createServer(async (req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  try {
    const boards = await Promise.all(brokers.map(board));
    const data = Object.fromEntries(boards.map((b, i) => [`d${i}`, b]));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  } catch (error) {
    res.writeHead(502).end(String(error));
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1');
