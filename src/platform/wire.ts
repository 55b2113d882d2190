import { z } from 'zod';

/** The platform API's wire shapes (docs/emqx-api.md §2, seed 000) and the gateway's regular names for them. */

/** `"2024-07-22 05:32"` (UTC, no zone) → ISO 8601. */
const platformTime = z
  .string()
  .nullish()
  .transform((text) => {
    const match = text?.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/);
    return match ? `${match[1]}T${match[2]}${match[3] ?? ':00'}.000Z` : null;
  });

export const deploymentSchema = z.object({
  deploymentID: z.string().min(1),
  deploymentName: z.string(),
  deploymentType: z.string(),
  status: z.string(),
  platform: z.string(),
  region: z.string(),
  projectName: z.string().nullish(),
  version: z.string().nullish(),
  connections: z.number().nullish(),
  tps: z.number().nullish(),
  createAt: platformTime,
});

export const deploymentListSchema = z.array(deploymentSchema);

export const operationSchema = z.object({
  deploymentID: z.string(),
  deploymentName: z.string().optional(),
  operation: z.string(),
});

export const createdSchema = z.object({
  deploymentID: z.string().min(1),
  deploymentName: z.string(),
  deploymentType: z.string(),
  status: z.string().default('pending'),
  platform: z.string(),
  region: z.string(),
  regionLabel: z.string().optional(),
  createAt: platformTime,
  spec: z
    .object({
      connections: z.number().optional(),
      tps: z.number().optional(),
      deploymentVersion: z.string().optional(),
    })
    .partial()
    .nullish(),
});

/**
 * The list names a cloud as the console does ("AWS"), the create answer by its code ("aws"): one deployment
 * must not change its platform's spelling between the two, so codes are shown as the list shows them.
 */
const PLATFORM_NAMES: Readonly<Record<string, string>> = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud' };
export const platformName = (platform: string) => PLATFORM_NAMES[platform.toLowerCase()] ?? platform;

/** A deployment as the platform describes it, with names made regular. */
export interface PlatformDeployment {
  deploymentId: string;
  name: string;
  /** Raw platform type: `serverless`, `dedicated`, `dedicatedFlex`. */
  type: string;
  /** Raw platform status, e.g. `running`. */
  status: string;
  platform: string;
  region: string;
  projectName: string | null;
  /** `v4` / `v5` when the platform says so (the list does; get-one does not). */
  version: string | null;
  connections: number | null;
  tps: number | null;
  /** ISO 8601 UTC. */
  createdAt: string | null;
}

/** `POST /deployments`: the four fields seed 000 documents, and nothing else. */
export interface CreateDeploymentRequest {
  platform: string;
  region: string;
  connections: number;
  deploymentType: 'dedicated' | 'serverless';
}

export const platformDeploymentSchema: z.ZodType<PlatformDeployment> = z.object({
  deploymentId: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.string(),
  platform: z.string(),
  region: z.string(),
  projectName: z.string().nullable(),
  version: z.string().nullable(),
  connections: z.number().nullable(),
  tps: z.number().nullable(),
  createdAt: z.string().nullable(),
});

export const fromWire = (d: z.infer<typeof deploymentSchema>): PlatformDeployment => ({
  deploymentId: d.deploymentID,
  name: d.deploymentName,
  type: d.deploymentType,
  status: d.status,
  platform: d.platform,
  region: d.region,
  projectName: d.projectName ?? null,
  version: d.version ?? null,
  connections: d.connections ?? null,
  tps: d.tps ?? null,
  createdAt: d.createAt,
});
