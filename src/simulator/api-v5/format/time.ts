/** RFC 3339 in the node's local offset, as `emqx_utils_calendar:epoch_to_rfc3339` prints it. */
export function rfc3339(epochMs: number, unit: 'ms' | 's' = 'ms'): string {
  const date = new Date(epochMs);
  const offsetMin = -date.getTimezoneOffset();
  const local = new Date(epochMs + offsetMin * 60_000);
  const base = local.toISOString().slice(0, unit === 'ms' ? 23 : 19);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${base}${offset}`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An integer in the given unit or an RFC 3339 string, to epoch ms; null when it is neither. */
export function parseTime(value: unknown, unit: 'ms' | 's'): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return unit === 's' ? value * 1000 : value;
  if (typeof value !== 'string') return null;
  if (/^\d+$/.test(value)) return parseTime(Number(value), unit);
  if (!RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
