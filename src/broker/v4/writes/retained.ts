import type { BrokerTransport } from '../../api.ts';
import type { BrokerWriteApi } from '../../write-api.ts';
import { writePath } from '../../write-support.ts';
import { refuseCommaTopic } from './checks.ts';

/**
 * EMQX 4.4 has no retained-message API. MQTT itself defines the delete: a retained PUBLISH with an empty
 * payload removes the retained message of that topic (MQTT 3.1.1 §3.3.1.3, 5.0 §3.3.1.3), so this sends one
 * through `POST /mqtt/publish`. Current subscribers of the topic receive that empty message.
 */
export function v4RetainedWrites(
  t: BrokerTransport,
  clientId: string,
): Pick<BrokerWriteApi, 'deleteRetained'> {
  async function deleteRetained(topic: string) {
    refuseCommaTopic(topic, 'topic');
    const body = { clientid: clientId, topic, payload: '', encoding: 'plain', qos: 0, retain: true };
    await t.send({ domain: 'retained', method: 'POST', path: writePath('/mqtt/publish'), body });
  }
  return { deleteRetained };
}
