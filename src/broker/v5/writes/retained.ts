import { NotFoundError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import type { BrokerWriteApi } from '../../write-api.ts';
import { writePath } from '../../write-support.ts';

/** v5 `DELETE /mqtt/retainer/message/{topic}` (docs/emqx-api.md §4.5): 204, or 404 when nothing is retained there. */
export function v5RetainedWrites(t: BrokerTransport): Pick<BrokerWriteApi, 'deleteRetained'> {
  async function deleteRetained(topic: string) {
    const path = writePath('/mqtt/retainer/message/{topic}', { topic });
    const reply = await t.send({ domain: 'retained', method: 'DELETE', path, accept: [404] });
    if (reply.status === 404) throw new NotFoundError(`No retained message on ${topic}`);
  }
  return { deleteRetained };
}
