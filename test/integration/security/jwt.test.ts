import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../helpers/stack.ts';

/**
 * JWT callers end to end: every refusal is the same 401 body and reaches no upstream; valid tokens (within the
 * clock skew) are served with the role and projects their claims give.
 */

const SECRET = `jwt-secret-${crypto.randomUUID()}`;
const ISSUER = 'https://idp.test';
const AUDIENCE = 'emqx-gateway';
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  sub: 'jwt-user',
  role: 'viewer',
  projects: '*',
  iss: ISSUER,
  aud: AUDIENCE,
  exp: now() + 300,
  ...extra,
});
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JWT callers', () => {
  let stack: Stack;
  let jwksServer: Server;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  const hs256 = (payload: JWTPayload, secret = SECRET) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
  const rs256 = (payload: JWTPayload, kid = 'rsa-1', key = rsa.privateKey) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  const es256 = (payload: JWTPayload) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(ec.privateKey);

  async function post(authorization: string | null, query = '{ deployments { totalCount } }') {
    const response = await request(`${stack.urls[0]}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === null ? {} : { authorization }),
      },
      body: JSON.stringify({ query }),
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256' },
    ];
    jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
    stack = await startStack({
      configure: (config) => {
        config.auth.jwt = {
          secret: SECRET,
          jwksUrl,
          issuer: ISSUER,
          audience: AUDIENCE,
          clockToleranceSeconds: 30,
        };
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  });

  it('accepts valid HS256, RS256 and ES256 tokens, including just past exp and just before nbf', async () => {
    const valid = [
      await hs256(claims()),
      await rs256(claims()),
      await es256(claims()),
      await hs256(claims({ exp: now() - 20 })),
      await rs256(claims({ nbf: now() + 20 })),
    ];
    for (const token of valid) {
      const { status, text } = await post(`Bearer ${token}`);
      expect(status).toBe(200);
      expect(JSON.parse(text).data.deployments.totalCount).toBe(5);
    }
  });

  it('refuses every bad token with one identical 401 body and no upstream call', async () => {
    const stranger = await generateKeyPair('RS256');
    const publicPem = await exportSPKI(rsa.publicKey);
    const good = await hs256(claims({ projects: ['staging'] }));
    const [header, , signature] = good.split('.');
    const refused: Array<[string, string | null]> = [
      ['expired', `Bearer ${await hs256(claims({ exp: now() - 120 }))}`],
      ['not yet valid', `Bearer ${await rs256(claims({ nbf: now() + 120 }))}`],
      ['wrong issuer', `Bearer ${await hs256(claims({ iss: 'https://evil.test' }))}`],
      ['wrong audience', `Bearer ${await es256(claims({ aud: 'other' }))}`],
      ['alg none', `Bearer ${b64({ alg: 'none' })}.${b64(claims({ role: 'admin' }))}.`],
      [
        'HS256 signed with the RSA public key',
        `Bearer ${await new SignJWT(claims({ role: 'admin' }))
          .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
          .sign(new TextEncoder().encode(publicPem))}`,
      ],
      ['unknown kid', `Bearer ${await rs256(claims(), 'rsa-9', stranger.privateKey)}`],
      ['known kid, foreign key', `Bearer ${await rs256(claims(), 'rsa-1', stranger.privateKey)}`],
      ['tampered payload', `Bearer ${header}.${b64(claims({ role: 'admin', projects: '*' }))}.${signature}`],
      ['wrong secret', `Bearer ${await hs256(claims(), `${SECRET}x`)}`],
      ['no role claim', `Bearer ${await hs256(claims({ role: undefined }))}`],
      ['garbage', 'Bearer a.b.c'],
      ['no token', null],
      ['basic auth', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ];
    stack.sim.requestLog.clear();
    const bodies = new Set<string>();
    for (const [name, authorization] of refused) {
      const { status, text } = await post(authorization);
      expect(status, name).toBe(401);
      bodies.add(text);
    }
    expect([...bodies]).toHaveLength(1);
    expect(JSON.parse([...bodies][0]!).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(stack.sim.requestLog.count()).toBe(0);
  });

  it('scopes a JWT caller to the projects and role in its claims', async () => {
    const staging = `Bearer ${await hs256(claims({ projects: ['staging'] }))}`;
    const list = JSON.parse(
      (await post(staging, '{ deployments { edges { node { deploymentId } } } }')).text,
    );
    const ids = list.data.deployments.edges.map(
      (e: { node: { deploymentId: string } }) => e.node.deploymentId,
    );
    expect(ids.sort()).toEqual(['c9d0e1f2', 'f3a4b5c6']);
    const hidden = JSON.parse(
      (await post(staging, '{ deployment(deploymentId: "a1b2c3d4") { name } }')).text,
    );
    expect(hidden.data.deployment).toBeNull();
    expect(hidden.errors[0].extensions.code).toBe('NOT_FOUND');
    stack.sim.requestLog.clear();
    const stop = JSON.parse(
      (
        await post(
          staging,
          'mutation { stopDeployment(deploymentId: "c9d0e1f2") { __typename ... on Error { code } } }',
        )
      ).text,
    );
    expect(stop.data.stopDeployment).toEqual({ __typename: 'GatewayError', code: 'FORBIDDEN' });
    expect(stack.sim.requestLog.count()).toBe(0);
  });
});
