/** Formatting helpers shared by EMQX 4.4's management modules. */

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `emqx_mgmt_util:strftime/1`: "YYYY-MM-DD HH:mm:ss". EMQX prints the node's local time; the simulated
 * node runs in UTC (the gateway contract reads zone-less v4 times as UTC).
 */
export function strftime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `emqx_sys:uptime/0`: "4 hours, 21 minutes, 19 seconds" (units below one are left out from the top). */
export function uptimeText(seconds: number): string {
  const secs = Math.max(0, Math.floor(seconds));
  if (secs < 60) return `${secs} seconds`;
  return `${minutesText(Math.floor(secs / 60))}${secs % 60} seconds`;
}

function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes, `;
  return `${hoursText(Math.floor(minutes / 60))}${minutes % 60} minutes, `;
}

function hoursText(hours: number): string {
  if (hours < 24) return `${hours} hours, `;
  return `${Math.floor(hours / 24)} days, ${hours % 24} hours, `;
}

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/** `emqx_mgmt_util:kmg/1`: "118.27M"; values up to 1 KiB stay plain integers. */
export function kmg(bytes: number): string | number {
  if (bytes > GB) return `${(bytes / GB).toFixed(2)}G`;
  if (bytes > MB) return `${(bytes / MB).toFixed(2)}M`;
  if (bytes > KB) return `${(bytes / KB).toFixed(2)}K`;
  return bytes;
}

/** `emqx_vm:loads/0` renders each load average with two decimals. */
export const loadText = (load: number): string => load.toFixed(2);

/** `filename:join/1`, which the subscriptions API uses to build `$share/<group>/<topic>`. */
export function filenameJoin(parts: readonly string[]): string {
  let joined = '';
  for (const part of parts) {
    if (part.startsWith('/')) joined = part;
    else joined = joined === '' || joined.endsWith('/') ? joined + part : `${joined}/${part}`;
  }
  const collapsed = joined.replace(/\/+/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}
