import type { BrokerVersion } from '../types.ts';

export type DeploymentType = 'serverless' | 'dedicated' | 'dedicatedFlex';

/**
 * Documented statuses plus the transient/terminal ones the official Terraform provider handles. Kept open
 * (`string`) so tests can force a status the gateway has never heard of.
 */
export type DeploymentStatus =
  | 'pending'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'failed'
  | (string & {});

/** One deployment as the platform knows it; the wire shapes are derived from this in `wire.ts`. */
export interface DeploymentRecord {
  id: string;
  name: string;
  type: DeploymentType;
  version: BrokerVersion;
  projectName: string;
  /** `null` for the default project, as create answers. */
  projectID: string | null;
  /** Display strings, as list/get answer them (`AWS`, `N. Virginia (us-east-1)`). */
  platform: string;
  region: string;
  /** Codes, known for deployments created through the API (create answers these). */
  platformCode?: string;
  regionCode?: string;
  connections: number;
  tps: number;
  /** Epoch milliseconds. */
  createdAt: number;
  status: DeploymentStatus;
}

/** An element of `GET /projects`, already in wire form. */
export interface ProjectRecord {
  projectID: string;
  projectName: string;
  description: string;
}

export const DEFAULT_PROJECT: ProjectRecord = {
  projectID: 'default',
  projectName: 'default',
  description: 'Default project',
};
