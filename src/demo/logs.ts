import pretty from 'pino-pretty';

/**
 * Demo log lines for a person at a terminal: one short coloured line each (time, level, message, then the
 * fields), instead of the JSON lines a log collector wants from `npm start`.
 */
export function demoLogStream(colorize: boolean) {
  return pretty({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    sync: true,
  });
}
