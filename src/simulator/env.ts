/** Settings the simulator reads from the environment, shared by `npm run sim` and `npm run demo`. */

/**
 * The platform API port from SIM_PORT: `fallback` when unset or empty, 0 for any free port. Throws, naming the
 * variable, when it is not a port number.
 */
export function simPortFromEnv(env: NodeJS.ProcessEnv, fallback: number): number {
  const raw = env.SIM_PORT;
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SIM_PORT must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}
