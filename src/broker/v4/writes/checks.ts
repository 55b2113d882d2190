import { BadUserInputError } from '../../../errors.ts';

/**
 * v4 `POST /mqtt/publish` and `/mqtt/subscribe` split `topic` on commas (F1 `emqx_mgmt_api_pubsub:topics/3`),
 * so `a,b` would reach two topics. Such a topic cannot be sent to v4 as one, and is refused before any call.
 */
export function refuseCommaTopic(topic: string, field: string): void {
  if (topic.includes(',')) {
    throw new BadUserInputError(
      `${field}: EMQX v4 splits topics on commas; a topic with a comma cannot be used on this deployment`,
      field,
    );
  }
}
