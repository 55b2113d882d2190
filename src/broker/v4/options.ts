/** The publisher name v4 writes carry when the configuration names none (`upstream.publishClientId`). */
export const DEFAULT_PUBLISH_CLIENT_ID = 'emqx-cloud-gateway';

/** What the v4 adapter needs from the gateway configuration. */
export interface V4Options {
  /**
   * `clientid` of every `POST /mqtt/publish` and `publish_batch` item (seed 003 marks it required).
   * @default "emqx-cloud-gateway"
   */
  publishClientId?: string;
}
