import type { z } from 'zod';
import type { PlatformConfig, QuotaEndpoint } from '../config.ts';
import {
  BadUserInputError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitedError,
  UpstreamError,
  UpstreamUnavailableError,
} from '../errors.ts';
import { type HttpClient, retryAfterMs, type UpstreamReply } from '../http/client.ts';
import type { Logger } from '../logger.ts';
import type { CircuitBreaker } from '../resilience/breaker.ts';
import { assertBudgetLeft } from '../resilience/deadline.ts';
import type { QuotaGuard } from '../store/quotas.ts';
import {
  type CreateDeploymentRequest,
  createdSchema,
  deploymentListSchema,
  deploymentSchema,
  fromWire,
  operationSchema,
  type PlatformDeployment,
  platformName,
} from './wire.ts';

export {
  type CreateDeploymentRequest,
  type PlatformDeployment,
  platformDeploymentSchema,
} from './wire.ts';

/**
 * The EMQX Cloud platform API (docs/emqx-api.md §2): list, get, start, stop and create deployments.
 * Every call first takes a slot of its fleet-wide quota; a 429 pauses that endpoint for the whole fleet.
 */

export interface PlatformApiOptions {
  config: PlatformConfig;
  http: HttpClient;
  quotas: QuotaGuard;
  logger: Logger;
  /** The platform's breaker: while open, no quota is spent and no call is made. */
  breaker: CircuitBreaker;
}

export type PlatformApi = ReturnType<typeof createPlatformApi>;

export function createPlatformApi({ config, http, quotas, logger, breaker }: PlatformApiOptions) {
  const base = config.apiUrl.replace(/\/+$/, '');
  const credentials = { user: config.apiKey, password: config.apiSecret };

  const send = (...args: Parameters<typeof sendNow>) => breaker.run(() => sendNow(...args));

  async function sendNow(
    endpoint: QuotaEndpoint,
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; requestId?: string } = {},
  ): Promise<UpstreamReply> {
    // No quota is spent on a call that could not be sent in time anyway.
    assertBudgetLeft();
    await quotas.take(endpoint);
    assertBudgetLeft();
    const reply = await http.call({
      api: 'platform',
      endpoint,
      method,
      url: `${base}${path}`,
      body: options.body,
      credentials,
      idempotent: method === 'GET',
      requestId: options.requestId,
    });
    if (reply.status === 429) {
      const pauseMs = retryAfterMs(reply);
      await quotas.pause(endpoint, pauseMs);
      throw new RateLimitedError(
        `EMQX Cloud rate-limited ${endpoint}; the gateway holds further calls for the whole fleet`,
        (pauseMs ?? config.quotas[endpoint].windowSeconds * 1000) / 1000,
      );
    }
    if (reply.status >= 500)
      throw new UpstreamUnavailableError(`EMQX Cloud answered ${reply.status} to ${endpoint}`, 'status');
    return reply;
  }

  /** Maps the documented 4xx answers; the body is opaque and may echo input, so only its code is kept. */
  function failure(endpoint: string, reply: UpstreamReply, subject?: string): Error {
    if (reply.status === 404 && subject) return new NotFoundError(`Deployment ${subject} not found`);
    const body = reply.body as { code?: unknown } | undefined;
    const code = typeof body?.code === 'string' || typeof body?.code === 'number' ? body.code : reply.status;
    logger.warn({ endpoint, status: reply.status, upstreamCode: code }, 'platform API refused the call');
    const reason: Record<number, string> = {
      401: 'EMQX Cloud rejected the gateway platform API key',
      403: 'The gateway platform API key lacks permission for this call',
      422: 'EMQX Cloud refused the request as invalid for the deployment in its current state',
    };
    return new UpstreamError(
      reason[reply.status] ?? `EMQX Cloud answered ${reply.status}`,
      code,
      reply.status,
    );
  }

  /**
   * Reads a 2xx body. One that is not JSON (cut off, a proxy's page) makes a read UPSTREAM_UNAVAILABLE; for a
   * write, any unreadable answer is OUTCOME_UNKNOWN, since the platform accepted it and may well have acted.
   */
  function parse<T>(
    endpoint: string,
    schema: z.ZodType<T>,
    body: unknown,
    kind: 'read' | 'write' = 'read',
  ): T {
    const result = typeof body === 'string' ? null : schema.safeParse(body);
    if (result?.success) return result.data;
    if (result)
      logger.error({ endpoint, issues: result.error.issues }, 'platform API answered outside its contract');
    else
      logger.warn(
        { endpoint, bodyLength: String(body).length },
        'platform API answered with a body that is not JSON',
      );
    if (kind === 'write') throw new OutcomeUnknownError(endpoint, 'its answer could not be read');
    if (!result)
      throw new UpstreamUnavailableError('EMQX Cloud answered with a body that is not JSON', 'status');
    throw new UpstreamError('EMQX Cloud answered in an unexpected shape', 'CONTRACT_MISMATCH');
  }

  return {
    /** `GET /deployments` — every deployment of the account (no pagination). */
    async listDeployments(requestId?: string): Promise<PlatformDeployment[]> {
      const reply = await send('listDeployments', 'GET', '/deployments', { requestId });
      if (reply.status !== 200) throw failure('listDeployments', reply);
      return parse('listDeployments', deploymentListSchema, reply.body).map(fromWire);
    },

    /** `GET /deployments/{id}` — null when the platform does not know it. */
    async getDeployment(deploymentId: string, requestId?: string): Promise<PlatformDeployment | null> {
      const reply = await send('getDeployment', 'GET', `/deployments/${encodeURIComponent(deploymentId)}`, {
        requestId,
      });
      if (reply.status === 404) return null;
      if (reply.status !== 200) throw failure('getDeployment', reply);
      return fromWire(parse('getDeployment', deploymentSchema, reply.body));
    },

    /** `POST /deployments/{id}/start|stop` — 201 `{deploymentID, deploymentName, operation}`. */
    async changeState(deploymentId: string, action: 'start' | 'stop', requestId?: string): Promise<string> {
      const endpoint = action === 'start' ? 'startDeployment' : 'stopDeployment';
      const path = `/deployments/${encodeURIComponent(deploymentId)}/${action}`;
      const reply = await send(endpoint, 'POST', path, { requestId });
      if (reply.status < 200 || reply.status >= 300) throw failure(endpoint, reply, deploymentId);
      return parse(endpoint, operationSchema, reply.body, 'write').operation;
    },

    /** `POST /deployments` — 201 with the new deployment (in the default project, pending). */
    async createDeployment(
      request: CreateDeploymentRequest,
      requestId?: string,
    ): Promise<PlatformDeployment> {
      const reply = await send('createDeployment', 'POST', '/deployments', { body: request, requestId });
      if (reply.status === 400 || reply.status === 422) {
        throw new BadUserInputError(
          'EMQX Cloud refused these parameters: check platform, region, plan and connections',
          'input',
        );
      }
      if (reply.status < 200 || reply.status >= 300) throw failure('createDeployment', reply);
      const created = parse('createDeployment', createdSchema, reply.body, 'write');
      return {
        deploymentId: created.deploymentID,
        name: created.deploymentName,
        type: created.deploymentType,
        status: created.status,
        platform: platformName(created.platform),
        region: created.regionLabel ?? created.region,
        projectName: 'default',
        version: created.spec?.deploymentVersion ?? 'v5',
        connections: created.spec?.connections ?? request.connections,
        tps: created.spec?.tps ?? null,
        createdAt: created.createAt,
      };
    },
  };
}
