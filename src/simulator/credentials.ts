import { randomBytes, randomInt } from 'node:crypto';
import type { PlatformCredentials } from './platform/auth.ts';
import type { MqttUser } from './seed.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Letters and digits only, so values survive shells, URLs and Basic auth without escaping. */
export function randomToken(length: number): string {
  let token = '';
  for (let index = 0; index < length; index++) token += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return token;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A fresh Platform API key pair, so nothing secret is ever the same from one run to the next. */
export const generatePlatformCredentials = (): PlatformCredentials => ({
  apiKey: hex(12),
  apiSecret: randomToken(40),
});

/** A deployment's App ID / App Secret (EMQX v5 calls them api_key / secret_key). */
export const generateAppCredentials = () => ({ appId: hex(8), appSecret: randomToken(32) });

/**
 * The MQTT user a gateway reads live data with. Its authorization rule allows subscribing to `$SYS/#`, as an
 * EMQX Cloud user grants it in the console's access control.
 */
export const generateGatewayMqttUser = (): MqttUser => ({
  username: 'cloud-gateway',
  password: randomToken(24),
});

/** Two or three device users with random passwords. */
export function generateMqttUsers(): MqttUser[] {
  const names = ['sensor-01', 'sensor-02', 'gateway-01'].slice(0, 2 + randomInt(2));
  return names.map((username) => ({ username, password: randomToken(20) }));
}
