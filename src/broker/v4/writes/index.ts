import { NotSupportedError } from '../../../errors.ts';
import type { BrokerTransport } from '../../api.ts';
import type { BrokerWriteApi } from '../../write-api.ts';
import { DEFAULT_PUBLISH_CLIENT_ID, type V4Options } from '../options.ts';
import { v4BanWrites } from './bans.ts';
import { v4ClientWrites } from './clients.ts';
import { v4PublishWrites } from './publish.ts';
import { v4RetainedWrites } from './retained.ts';
import { v4RuleWrites } from './rules.ts';

const v5Only = (what: string) => async (): Promise<never> => {
  throw new NotSupportedError(what, 'v4');
};

/** Every EMQX v4 write; built-in authentication users and authorization rules are v5 APIs. */
export function v4Writes(transport: BrokerTransport, options: V4Options = {}): BrokerWriteApi {
  const publishClientId = options.publishClientId ?? DEFAULT_PUBLISH_CLIENT_ID;
  return {
    ...v4PublishWrites(transport, publishClientId),
    ...v4ClientWrites(transport),
    ...v4RuleWrites(transport),
    ...v4BanWrites(transport),
    ...v4RetainedWrites(transport, publishClientId),
    createAuthnUser: v5Only('Built-in authentication users'),
    updateAuthnUser: v5Only('Built-in authentication users'),
    deleteAuthnUser: v5Only('Built-in authentication users'),
    importAuthnUsers: v5Only('Built-in authentication users'),
    setAuthzRules: v5Only('Built-in authorization rules'),
    deleteAuthzRules: v5Only('Built-in authorization rules'),
  };
}
