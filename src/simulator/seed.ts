import type { DeploymentType, ProjectRecord } from './platform/records.ts';
import { DEFAULT_PROJECT } from './platform/records.ts';
import type { BrokerVersion } from './types.ts';

export interface MqttUser {
  username: string;
  password: string;
}

/** A deployment the simulator starts with. Credentials left out are generated randomly per simulator. */
export interface SeedDeployment {
  /** 8 lowercase characters, like EMQX Cloud's. */
  id: string;
  name: string;
  version: BrokerVersion;
  type: DeploymentType;
  projectName: string;
  /** Display strings as the platform lists them. */
  platform: string;
  region: string;
  connections: number;
  tps: number;
  /** `YYYY-MM-DD HH:mm`, UTC. */
  createAt: string;
  status: 'running' | 'stopped';
  appId?: string;
  appSecret?: string;
  mqttUsers?: MqttUser[];
  /** The gateway's MQTT user, allowed to subscribe to `$SYS/#`. @default generated */
  gatewayMqttUser?: MqttUser;
}

export interface SimSeed {
  projects: ProjectRecord[];
  deployments: SeedDeployment[];
}

/**
 * Every edition, both broker versions, both stable states and two projects, so a gateway has one of each
 * case to get wrong. Regions use the platform's display form, including a Google Cloud and an Azure one.
 */
export function createDefaultSeed(): SimSeed {
  return {
    projects: [
      DEFAULT_PROJECT,
      { projectID: 'p3a9c1e7', projectName: 'production', description: 'Factory floor and customer fleets' },
      { projectID: 'p6d2f8b4', projectName: 'staging', description: 'Pre-release testing' },
    ],
    deployments: [
      {
        id: 'a1b2c3d4',
        name: 'factory-v5',
        version: 'v5',
        type: 'dedicated',
        projectName: 'production',
        platform: 'AWS',
        region: 'N. Virginia (us-east-1)',
        connections: 10000,
        tps: 10000,
        createAt: '2024-11-21 02:51',
        status: 'running',
      },
      {
        id: 'e5f6a7b8',
        name: 'legacy-v4',
        version: 'v4',
        type: 'dedicated',
        projectName: 'production',
        platform: 'Azure',
        region: 'West Europe (westeurope)',
        connections: 5000,
        tps: 5000,
        createAt: '2023-06-02 14:07',
        status: 'running',
      },
      {
        id: 'c9d0e1f2',
        name: 'serverless-dev',
        version: 'v5',
        type: 'serverless',
        projectName: 'staging',
        platform: 'AWS',
        region: 'Frankfurt (eu-central-1)',
        connections: 1000,
        tps: 1000,
        createAt: '2025-04-17 08:36',
        status: 'running',
      },
      {
        id: 'f3a4b5c6',
        name: 'analytics-v4',
        version: 'v4',
        type: 'dedicated',
        projectName: 'staging',
        platform: 'Google Cloud',
        region: 'Singapore (asia-southeast1)',
        connections: 1000,
        tps: 1000,
        createAt: '2023-09-30 23:59',
        status: 'stopped',
      },
      {
        id: 'd7e8f9a0',
        name: 'flex-eu',
        version: 'v5',
        type: 'dedicatedFlex',
        projectName: 'production',
        platform: 'AWS',
        region: 'Frankfurt (eu-central-1)',
        connections: 2000,
        tps: 2000,
        createAt: '2025-02-03 10:15',
        status: 'stopped',
      },
    ],
  };
}
