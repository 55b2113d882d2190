/**
 * Platforms and regions a deployment can be created in, transcribed from the "Supported Platforms and
 * Regions" table of the newer Deployment Management page (seed 000_2e18eb400e53c6ab.txt). Serverless is
 * offered only in AWS us-east-1 / eu-central-1 and Google Cloud asia-southeast1, as that page says.
 */
export interface CatalogRegion {
  code: string;
  name: string;
  serverless: boolean;
  dedicated: boolean;
}

export interface CatalogPlatform {
  code: string;
  /** What list/get answer in `platform` (create answers the code). */
  displayName: string;
  regions: CatalogRegion[];
}

const dedicatedOnly = (code: string, name: string): CatalogRegion => ({
  code,
  name,
  serverless: false,
  dedicated: true,
});
const both = (code: string, name: string): CatalogRegion => ({
  code,
  name,
  serverless: true,
  dedicated: true,
});

export const PLATFORM_CATALOG: readonly CatalogPlatform[] = [
  {
    code: 'aws',
    displayName: 'AWS',
    regions: [
      both('us-east-1', 'N. Virginia'),
      dedicatedOnly('us-east-2', 'Ohio'),
      dedicatedOnly('us-west-1', 'N. California'),
      dedicatedOnly('us-west-2', 'Oregon'),
      dedicatedOnly('eu-west-1', 'Ireland'),
      dedicatedOnly('eu-west-2', 'London'),
      both('eu-central-1', 'Frankfurt'),
      dedicatedOnly('ap-southeast-1', 'Singapore'),
      dedicatedOnly('ap-south-1', 'Mumbai'),
      dedicatedOnly('ap-east-1', 'Hong Kong'),
      dedicatedOnly('ap-northeast-1', 'Tokyo'),
      dedicatedOnly('ap-southeast-2', 'Sydney'),
    ],
  },
  {
    code: 'azure',
    displayName: 'Azure',
    regions: [
      dedicatedOnly('eastus', 'East US'),
      dedicatedOnly('westus2', 'West US 2'),
      dedicatedOnly('westus3', 'West US 3'),
      dedicatedOnly('westeurope', 'West Europe'),
      dedicatedOnly('germanywestcentral', 'Germany West Central'),
      dedicatedOnly('northeurope', 'North Europe'),
      dedicatedOnly('southeastasia', 'Southeast Asia'),
      dedicatedOnly('japaneast', 'Japan East'),
    ],
  },
  {
    code: 'gcp',
    displayName: 'Google Cloud',
    regions: [
      dedicatedOnly('us-east1', 'South Carolina'),
      dedicatedOnly('us-west1', 'Oregon'),
      dedicatedOnly('us-central1', 'Iowa'),
      dedicatedOnly('europe-west3', 'Frankfurt'),
      dedicatedOnly('europe-north1', 'Finland'),
      dedicatedOnly('asia-south1', 'Mumbai'),
      both('asia-southeast1', 'Singapore'),
      dedicatedOnly('asia-east1', 'Taiwan'),
      dedicatedOnly('asia-northeast1', 'Tokyo'),
    ],
  },
];

export interface CatalogLocation {
  platform: CatalogPlatform;
  region: CatalogRegion;
}

/** Exact, case-sensitive lookup by the codes a create request carries. */
export function findLocation(platformCode: string, regionCode: string): CatalogLocation | undefined {
  const platform = PLATFORM_CATALOG.find((candidate) => candidate.code === platformCode);
  const region = platform?.regions.find((candidate) => candidate.code === regionCode);
  return platform && region ? { platform, region } : undefined;
}

/** The display form list/get use, e.g. `N. Virginia (us-east-1)`. */
export const regionLabel = (region: CatalogRegion): string => `${region.name} (${region.code})`;
