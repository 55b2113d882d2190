import type { Role } from '../config.ts';

/** Who is calling, as established from the bearer token. */
export interface Caller {
  /** API key name or JWT subject; appears in logs and the audit trail. */
  name: string;
  role: Role;
  /** Project names this caller may see; `'*'` for all. */
  projects: '*' | ReadonlySet<string>;
  via: 'apiKey' | 'jwt' | 'none';
  /** Epoch ms when the token stops being valid (JWT `exp`); open streams end then. */
  expiresAt?: number;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const hasRole = (caller: Caller, needed: Role): boolean => RANK[caller.role] >= RANK[needed];

/** A deployment outside the caller's projects behaves exactly as one that does not exist. */
export const canSeeProject = (caller: Caller, projectName: string | null): boolean =>
  caller.projects === '*' || (projectName !== null && caller.projects.has(projectName));

export const projectsOf = (list: readonly string[]): Caller['projects'] =>
  list.includes('*') ? '*' : new Set(list);
