import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';

/** A running aedes instance with its TCP listener on 127.0.0.1. */
export interface MqttListener {
  broker: Aedes;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Starts aedes and its listener, on `preferredPort` when given and free (a restarted deployment keeps its
 * address), else on a fresh port. `wire` attaches event handlers before the first client can connect.
 */
export async function openMqttListener(
  options: AedesOptions,
  preferredPort: number | null,
  wire: (broker: Aedes) => void,
): Promise<MqttListener> {
  const broker = new Aedes(options);
  wire(broker);
  await broker.listen();
  const server = createServer(broker.handle);
  // Sockets that never sent CONNECT are unknown to aedes; close() must end them too.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let port: number;
  try {
    port = await listen(server, preferredPort ?? 0);
  } catch {
    port = await listen(server, 0);
  }
  return {
    broker,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
