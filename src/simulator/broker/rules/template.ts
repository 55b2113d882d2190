import { readPath } from './sql-eval.ts';

function toText(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Buffer.isBuffer(value)) return value.toString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Renders `${a.b}` placeholders from the rule output, as EMQX's `emqx_template` does for action args. */
export function renderTemplate(template: string, output: Record<string, unknown>): string {
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
    toText(readPath(output, name.trim().split('.'))),
  );
}

/** A template that may also be a literal of another type (`qos: 1` or `qos: "${qos}"`). */
export function renderValue(template: unknown, output: Record<string, unknown>): unknown {
  if (typeof template !== 'string') return template;
  const whole = /^\$\{([^}]+)\}$/.exec(template);
  if (whole?.[1]) return readPath(output, whole[1].trim().split('.'));
  return renderTemplate(template, output);
}
