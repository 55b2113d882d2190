/**
 * Where a deployment can be created, from the "Supported Platforms and Regions" table of seed 000
 * (000_2e18eb400e53c6ab.txt): every listed region offers Dedicated; Serverless only AWS us-east-1 and
 * eu-central-1 and Google Cloud asia-southeast1. Connections: Serverless exactly 1000, Dedicated 1000–10000.
 * A create the table rules out is refused before it can spend the 1-per-hour create quota.
 */

export type CreatablePlatform = 'aws' | 'azure' | 'gcp';
export type CreatableType = 'serverless' | 'dedicated';

interface PlatformRegions {
  dedicated: readonly string[];
  serverless: readonly string[];
}

export const CREATABLE_REGIONS: Readonly<Record<CreatablePlatform, PlatformRegions>> = {
  aws: {
    dedicated: [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'eu-west-1',
      'eu-west-2',
      'eu-central-1',
      'ap-southeast-1',
      'ap-south-1',
      'ap-east-1',
      'ap-northeast-1',
      'ap-southeast-2',
    ],
    serverless: ['us-east-1', 'eu-central-1'],
  },
  azure: {
    dedicated: [
      'eastus',
      'westus2',
      'westus3',
      'westeurope',
      'germanywestcentral',
      'northeurope',
      'southeastasia',
      'japaneast',
    ],
    serverless: [],
  },
  gcp: {
    dedicated: [
      'us-east1',
      'us-west1',
      'us-central1',
      'europe-west3',
      'europe-north1',
      'asia-south1',
      'asia-southeast1',
      'asia-east1',
      'asia-northeast1',
    ],
    serverless: ['asia-southeast1'],
  },
};

export const CONNECTIONS: Readonly<Record<CreatableType, { min: number; max: number }>> = {
  serverless: { min: 1000, max: 1000 },
  dedicated: { min: 1000, max: 10_000 },
};

/** Why seed 000 rules the combination out (field and reason), or null when it may be created. */
export function createProblem(
  platform: CreatablePlatform,
  region: string,
  type: CreatableType,
  connections: number,
): { field: 'region' | 'deploymentType' | 'connections'; message: string } | null {
  const regions = CREATABLE_REGIONS[platform];
  if (!regions.dedicated.includes(region)) {
    return {
      field: 'region',
      message: `must be one of ${platform}'s regions: ${regions.dedicated.join(', ')}`,
    };
  }
  if (!regions[type].includes(region)) {
    const where = regions.serverless.length > 0 ? regions.serverless.join(', ') : 'no region';
    return { field: 'deploymentType', message: `SERVERLESS is offered on ${platform} in ${where} only` };
  }
  const { min, max } = CONNECTIONS[type];
  if (connections < min || connections > max) {
    const range = min === max ? `exactly ${min}` : `between ${min} and ${max}`;
    return { field: 'connections', message: `${type} deployments support ${range} connections` };
  }
  return null;
}
