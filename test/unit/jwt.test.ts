import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier, type JwtConfig } from '../../src/auth/jwt.ts';

const SECRET = 'a-test-hs256-secret-that-is-long-enough-0123456789';
const ISSUER = 'https://idp.test';
const AUDIENCE = 'emqx-gateway';
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  sub: 'alice',
  role: 'operator',
  projects: ['staging'],
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 300,
  ...extra,
});

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
const sign = (payload: JWTPayload, key: Keys['privateKey'] | Uint8Array, header: Record<string, string>) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...header }).sign(key);
const hs256 = (payload: JWTPayload, secret = SECRET) => sign(payload, new TextEncoder().encode(secret), {});
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWKS endpoint on loopback that counts its fetches and whose keys (or health) a test can change. */
async function startJwks() {
  const state = { keys: [] as JWK[], hits: 0, failing: false };
  const server: Server = createServer((_req, res) => {
    state.hits += 1;
    if (state.failing) return void res.writeHead(500).end('down');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return { state, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('JWT verifier', () => {
  let jwks: Awaited<ReturnType<typeof startJwks>>;
  let rsa: Keys;
  let ec: Keys;
  let config: JwtConfig;
  const publicJwk = async (keys: Keys, kid: string, alg: string) => ({
    ...(await exportJWK(keys.publicKey)),
    kid,
    alg,
    use: 'sig',
  });

  beforeAll(async () => {
    jwks = await startJwks();
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    jwks.state.keys = [await publicJwk(rsa, 'rsa-1', 'RS256'), await publicJwk(ec, 'ec-1', 'ES256')];
    config = {
      secret: SECRET,
      jwksUrl: jwks.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      clockToleranceSeconds: 30,
    };
  });
  afterAll(() => jwks.close());

  it('accepts HS256, RS256 and ES256 tokens and reads role and projects from the claims', async () => {
    const verify = createJwtVerifier(config);
    expect(await verify(await hs256(claims()))).toEqual({
      name: 'alice',
      role: 'operator',
      projects: new Set(['staging']),
      via: 'jwt',
      // Live-data streams end when the token expires, so the caller carries its `exp` (in ms).
      expiresAt: expect.any(Number),
    });
    const rs = await sign(claims({ role: 'admin', projects: '*' }), rsa.privateKey, {
      alg: 'RS256',
      kid: 'rsa-1',
    });
    expect(await verify(rs)).toMatchObject({ role: 'admin', projects: '*' });
    const es = await sign(claims({ role: 'viewer' }), ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
    expect(await verify(es)).toMatchObject({ role: 'viewer' });
  });

  it('accepts tokens within the clock skew and refuses them just beyond it', async () => {
    const verify = createJwtVerifier(config);
    expect(await verify(await hs256(claims({ exp: now() - 20 })))).not.toBeNull();
    expect(await verify(await hs256(claims({ nbf: now() + 20 })))).not.toBeNull();
    expect(await verify(await hs256(claims({ exp: now() - 40 })))).toBeNull();
    expect(await verify(await hs256(claims({ nbf: now() + 40 })))).toBeNull();
  });

  it('refuses tokens whose claims do not make a caller', async () => {
    const verify = createJwtVerifier(config);
    const { exp: _exp, ...withoutExp } = claims();
    const { sub: _sub, ...withoutSub } = claims();
    const { projects: _projects, ...withoutProjects } = claims();
    for (const payload of [
      withoutExp,
      withoutSub,
      withoutProjects,
      claims({ role: 'superuser' }),
      claims({ role: undefined }),
      claims({ projects: 'staging' }),
      claims({ projects: [''] }),
      claims({ projects: [1] }),
      claims({ iss: 'https://evil.test' }),
      claims({ aud: 'another-service' }),
    ]) {
      expect(await verify(await hs256(payload))).toBeNull();
    }
  });

  it('refuses alg none, algorithm confusion, a wrong secret and a tampered signature', async () => {
    const verify = createJwtVerifier(config);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({ role: 'admin' }))}.`;
    const publicPem = await exportSPKI(rsa.publicKey);
    const confused = await sign(claims({ role: 'admin' }), new TextEncoder().encode(publicPem), {
      alg: 'HS256',
      kid: 'rsa-1',
    });
    const good = await hs256(claims());
    const [header, , signature] = good.split('.');
    const tampered = `${header}.${b64(claims({ role: 'admin', projects: '*' }))}.${signature}`;
    const flipped = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of [
      none,
      confused,
      await hs256(claims(), `${SECRET}-other`),
      tampered,
      flipped,
      'a.b.c',
    ])
      expect(await verify(token)).toBeNull();
  });

  it('does not verify HS256 at all when only a JWKS is configured, even with the public key as secret', async () => {
    const verify = createJwtVerifier({ ...config, secret: undefined });
    const publicPem = await exportSPKI(rsa.publicKey);
    const confused = await sign(claims(), new TextEncoder().encode(publicPem), { alg: 'HS256' });
    expect(await verify(confused)).toBeNull();
    expect(await verify(await hs256(claims()))).toBeNull();
  });

  it('refetches the JWKS for an unknown kid at most once per cooldown', async () => {
    const verify = createJwtVerifier(config, { jwksCooldownMs: 60_000 });
    const before = jwks.state.hits;
    expect(await verify(await sign(claims(), rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' }))).not.toBeNull();
    const stranger = await generateKeyPair('RS256');
    for (let i = 0; i < 20; i++) {
      const token = await sign(claims(), stranger.privateKey, { alg: 'RS256', kid: `unknown-${i}` });
      expect(await verify(token)).toBeNull();
    }
    // A key that claims a known kid but was not made by its owner fails on the signature.
    expect(
      await verify(await sign(claims(), stranger.privateKey, { alg: 'RS256', kid: 'rsa-1' })),
    ).toBeNull();
    expect(jwks.state.hits - before).toBe(1);
  });

  it('picks up a rotated key on its first use once the cooldown allows a refetch', async () => {
    const verify = createJwtVerifier(config, { jwksCooldownMs: 0 });
    expect(await verify(await sign(claims(), rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' }))).not.toBeNull();
    const next = await generateKeyPair('RS256', { extractable: true });
    const previous = jwks.state.keys;
    jwks.state.keys = [...previous, await publicJwk(next, 'rsa-2', 'RS256')];
    try {
      expect(
        await verify(await sign(claims(), next.privateKey, { alg: 'RS256', kid: 'rsa-2' })),
      ).not.toBeNull();
    } finally {
      jwks.state.keys = previous;
    }
  });

  it('refuses asymmetric tokens while the JWKS is down without asking it again during the cooldown', async () => {
    const verify = createJwtVerifier(config, { jwksCooldownMs: 60_000 });
    jwks.state.failing = true;
    try {
      const before = jwks.state.hits;
      for (let i = 0; i < 5; i++) {
        const token = await sign(claims(), rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' });
        expect(await verify(token)).toBeNull();
      }
      expect(jwks.state.hits - before).toBe(1);
      expect(await verify(await hs256(claims()))).not.toBeNull();
    } finally {
      jwks.state.failing = false;
    }
  });
});
