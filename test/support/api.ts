// A client for the local gateway (the real handlers behind API Gateway v2 events), with
// tokens minted for any tenant and role. Used by integration tests.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { GatePublisher } from '../../functions/gates/gate-publisher.ts';
import type { GateProvisioner } from '../../functions/gates/provisioning.ts';
import { ISSUER, mintDevToken, mintToken, type TokenRequest } from '../../infra/local/dev-tokens.ts';
import { onDevEnrol } from '../../infra/local/dev-users.ts';
import { type Gateway, type GatewayOptions, type Handler, startGateway } from '../../infra/local/gateway.ts';
import {
  mintDevOidcToken,
  mintOidcToken,
  oidcVerifier,
  startOidcIssuer,
} from '../../infra/local/oidc-issuer.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  get<T = any>(path: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** The raw response (binary bodies: PNG, XLSX). */
  fetch(path: string): Promise<Response>;
  raw(
    method: string,
    path: string,
    body: string | undefined,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
}

export interface TestApi {
  gateway: Gateway;
  key: Uint8Array;
  /** A user of the directory with this tenant, role, sites…, and a token for them. */
  as(req: TokenRequest): Promise<ApiClient>;
  /** Someone the token issuer knows but the product does not (yet): a first sign-in. */
  identity(subject: string): Promise<ApiClient>;
  /** The issuer this API's tokens come from (for directory look-ups in tests). */
  issuer: string;
  anonymous(): ApiClient;
  close(): Promise<void>;
}

function client(url: string, token?: string): ApiClient {
  const raw = async (
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body,
    });
    // Binary answers (QR codes, spreadsheets) are described, not parsed; `fetch` reads them.
    const type = res.headers.get('content-type') ?? '';
    if (type && !type.includes('json'))
      return {
        status: res.status,
        headers: res.headers,
        body: `<${type}, ${(await res.arrayBuffer()).byteLength} bytes>`,
      };
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    raw,
    fetch: (path) => fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    get: (path, headers) => raw('GET', path, undefined, headers),
    post: (path, body, headers) => raw('POST', path, JSON.stringify(body), headers),
    put: (path, body, headers) => raw('PUT', path, JSON.stringify(body), headers),
    patch: (path, body, headers) => raw('PATCH', path, JSON.stringify(body), headers),
  };
}

/** Gate devices other than AWS IoT's (the local CA, the local broker, a recorder). */
export interface TestGateDevices {
  provisioner?: GateProvisioner;
  publisher?: GatePublisher;
}

export async function startTestApi(options: { gateDevices?: TestGateDevices } = {}): Promise<TestApi> {
  const key = new Uint8Array(randomBytes(32));
  // A re-enrolled identity is seen at once by this process's directory cache.
  const { principals } = await import('../../functions/composition-root.ts');
  onDevEnrol((issuer, subject) => principals().forget({ issuer, subject }));
  const handlers: GatewayOptions['handlers'] = {};
  if (options.gateDevices) {
    const { badgesAdapters, badgesHandler } = await import('../../functions/badges/handler.ts');
    handlers.badges = badgesHandler({ ...badgesAdapters(), ...options.gateDevices }) as Handler;
    const { sitesHandler } = await import('../../functions/sites/handler.ts');
    const { siteClosureDeps } = await import('../../functions/composition-root.ts');
    handlers.sites = sitesHandler(siteClosureDeps(options.gateDevices)) as Handler;
  }
  // PROFILE=china (the vitest project "china"): tokens of an OIDC issuer whose claims have
  // other names, checked by JWKS — the china deployment profile's identity path.
  if (process.env.PROFILE === 'china') {
    const dir = mkdtempSync(join(tmpdir(), 'special-ops-oidc-'));
    const issuer = await startOidcIssuer(dir);
    const gateway = await startGateway({
      port: 0,
      jwtKey: key,
      handlers,
      verify: oidcVerifier(issuer.issuer),
    });
    return {
      gateway,
      key,
      issuer: issuer.issuer,
      as: async (req) => client(gateway.url, await mintDevOidcToken(dir, issuer.issuer, req)),
      identity: async (subject) =>
        client(
          gateway.url,
          await mintOidcToken(dir, issuer.issuer, { tenantId: '', role: 'worker', subject }),
        ),
      anonymous: () => client(gateway.url),
      close: async () => {
        await gateway.close();
        await issuer.close();
      },
    };
  }
  const gateway = await startGateway({ port: 0, jwtKey: key, handlers });
  return {
    gateway,
    key,
    issuer: ISSUER,
    as: async (req) => client(gateway.url, await mintDevToken(key, req)),
    identity: async (subject) =>
      client(gateway.url, await mintToken(key, { tenantId: '', role: 'worker', subject })),
    anonymous: () => client(gateway.url),
    close: () => gateway.close(),
  };
}

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1 }));

/** Every item of the test table (to prove that a refused request wrote nothing). */
export async function allItems(): Promise<Record<string, unknown>[]> {
  const out = await db.send(new ScanCommand({ TableName: process.env.TABLE_NAME }));
  return out.Items ?? [];
}

export async function auditTrail(tenantId: string, day: string): Promise<Record<string, unknown>[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `T#${tenantId}#AUDIT#${day}` },
    }),
  );
  return out.Items ?? [];
}

export async function getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const out = await db.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk, sk }, ConsistentRead: true }),
  );
  return out.Item;
}
