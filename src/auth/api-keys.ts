import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../config.ts';
import { type Caller, projectsOf } from './caller.ts';

interface ApiKeyEntry {
  name: string;
  key: string;
  role: Role;
  projects: string[];
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Configured API keys, held only as SHA-256 digests. Every lookup compares against every key in constant time,
 * so neither timing nor the position of a match tells anything about the keys.
 */
export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]) {
  const keys = entries.map((entry) => ({
    digest: digest(entry.key),
    caller: {
      name: entry.name,
      role: entry.role,
      projects: projectsOf(entry.projects),
      via: 'apiKey',
    } as Caller,
  }));
  return (token: string): Caller | null => {
    const candidate = digest(token);
    let found: Caller | null = null;
    for (const key of keys) if (timingSafeEqual(key.digest, candidate)) found = key.caller;
    return found;
  };
}
