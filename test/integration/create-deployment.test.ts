import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CREATABLE_REGIONS } from '../../src/platform/regions.ts';
import { type Stack, startStack } from '../helpers/stack.ts';

/**
 * createDeployment is checked against seed 000's platform × region × type table and connection ranges before
 * the 1-per-hour create quota is touched, and sends exactly the four fields the seed documents.
 */

const CREATE = `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) {
  __typename
  ... on CreateDeploymentSuccess { deployment { deploymentId name status platform region } }
  ... on Error { code message }
  ... on BadUserInputError { field }
} }`;
const QUOTA = '{ upstreamQuotas { endpoint remaining } }';

let stack: Stack;
beforeAll(async () => {
  const quota = { createDeployment: { limit: 50, windowSeconds: 3600 } };
  stack = await startStack({
    simulator: { quotas: quota },
    configure: (config) => {
      config.platform.quotas = quota;
    },
  });
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.requestLog.clear());

const creates = () => stack.sim.requestLog.entries({ target: 'platform', method: 'POST' });
const create = async (input: Record<string, unknown>) =>
  (await stack.gql(CREATE, { variables: { input } })).body.data.createDeployment;
async function createQuotaLeft(): Promise<number> {
  const { body } = await stack.gql(QUOTA);
  return body.data.upstreamQuotas.find((q: any) => q.endpoint === 'createDeployment').remaining;
}

describe('createDeployment against seed 000', () => {
  it('createDeployment refused 6 of the 8 Azure regions: every Azure region is created, sending only the four documented fields', async () => {
    const regions = CREATABLE_REGIONS.azure.dedicated;
    expect(regions).toHaveLength(8);
    for (const region of regions) {
      const input = { platform: 'azure', region, connections: 2000, deploymentType: 'DEDICATED' };
      expect(await create(input)).toMatchObject({ __typename: 'CreateDeploymentSuccess' });
    }
    const bodies = creates().map((entry) => JSON.parse(entry.body));
    expect(bodies).toEqual(
      regions.map((region) => ({
        platform: 'azure',
        region,
        connections: 2000,
        deploymentType: 'dedicated',
      })),
    );
  });

  it('creates serverless where seed 000 offers it, with exactly 1000 connections', async () => {
    const input = {
      platform: 'gcp',
      region: 'asia-southeast1',
      connections: 1000,
      deploymentType: 'SERVERLESS',
    };
    const created = await create(input);
    expect(created).toMatchObject({
      __typename: 'CreateDeploymentSuccess',
      deployment: { status: 'PENDING' },
    });
    expect(created.deployment.name).toBe(`deployment-${created.deployment.deploymentId}`);
    expect(JSON.parse(creates()[0]!.body)).toEqual({
      platform: 'gcp',
      region: 'asia-southeast1',
      connections: 1000,
      deploymentType: 'serverless',
    });
  });

  const valid = { platform: 'aws', region: 'us-east-1', connections: 1000, deploymentType: 'DEDICATED' };
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['an Azure region on AWS', { region: 'westeurope' }, 'input.region'],
    ['an AWS region on Azure', { platform: 'azure' }, 'input.region'],
    ['a region display name', { region: 'N. Virginia (us-east-1)' }, 'input.region'],
    [
      'serverless on Azure',
      { platform: 'azure', region: 'eastus', deploymentType: 'SERVERLESS' },
      'input.deploymentType',
    ],
    ['serverless in AWS Ohio', { region: 'us-east-2', deploymentType: 'SERVERLESS' }, 'input.deploymentType'],
    [
      'DEDICATED_FLEX, which the API does not create',
      { deploymentType: 'DEDICATED_FLEX' },
      'input.deploymentType',
    ],
    [
      'serverless with 2000 connections',
      { deploymentType: 'SERVERLESS', connections: 2000 },
      'input.connections',
    ],
    ['dedicated with 999 connections', { connections: 999 }, 'input.connections'],
    ['dedicated with 10001 connections', { connections: 10_001 }, 'input.connections'],
    ['an unknown platform', { platform: 'aliyun' }, 'input.platform'],
    ['a name, which the platform API cannot set', { name: 'line-7' }, 'input.name'],
  ];
  it.each(refused)(
    'refuses %s as BAD_USER_INPUT with no call and no quota spent',
    async (_, override, field) => {
      const before = await createQuotaLeft();
      const answer = await create({ ...valid, ...override });
      expect(answer).toMatchObject({ __typename: 'BadUserInputError', code: 'BAD_USER_INPUT', field });
      expect(creates()).toEqual([]);
      expect(await createQuotaLeft()).toBe(before);
    },
  );
});
