import type { BrokerTransport } from '../../api.ts';
import type { BrokerWriteApi } from '../../write-api.ts';
import { v5AuthnWrites } from './authn.ts';
import { v5AuthzWrites } from './authz.ts';
import { v5BanWrites } from './bans.ts';
import { v5ClientWrites } from './clients.ts';
import { v5PublishWrites } from './publish.ts';
import { v5RetainedWrites } from './retained.ts';
import { v5RuleWrites } from './rules.ts';

/** Every EMQX v5 write, one translation module per domain. */
export function v5Writes(transport: BrokerTransport): BrokerWriteApi {
  return {
    ...v5PublishWrites(transport),
    ...v5ClientWrites(transport),
    ...v5RuleWrites(transport),
    ...v5BanWrites(transport),
    ...v5RetainedWrites(transport),
    ...v5AuthnWrites(transport),
    ...v5AuthzWrites(transport),
  };
}
