// The HTTP adapter of the CertificateRegistry port, to the gateway contract in
// docs/registry-contract.md: mutual TLS with the tenant's client certificate, the
// tenant's unified social credit code in a header, a per-call timeout, retries with
// exponential backoff and jitter, a per-tenant rate limit and a circuit breaker that stops
// calling a registry that is down. cockatiel supplies the resilience policies.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { count, METRIC, millis } from '../shared/metrics.ts';
import {
  hostList,
  OutboundUrlRefused,
  outboundPolicy,
  publicOnlyLookup,
  refuseOutboundUrl,
} from '../shared/outbound-url.ts';
import {
  type CertificateRegistry,
  type RegistryCredentials,
  type RegistryQuery,
  type RegistryRecord,
  RegistryResponse,
  RegistryUnavailable,
} from './registry.ts';

export interface HttpRegistryOptions {
  baseUrl: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Calls per second per tenant (a token bucket with a burst of the same size). */
  ratePerSecond?: number;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  breakAfter?: number;
  halfOpenAfterMs?: number;
  /** Backoff base; tests shorten it. */
  initialDelayMs?: number;
}

/** Per-tenant token bucket: a tenant's batch cannot starve another tenant's checks. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly ratePerSecond: number) {}

  /** Milliseconds to wait before the next call for this key (0 = go now). */
  take(key: string, now = Date.now()): number {
    const b = this.buckets.get(key) ?? { tokens: this.ratePerSecond, at: now };
    b.tokens = Math.min(this.ratePerSecond, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    const wait = ((1 - b.tokens) / this.ratePerSecond) * 1000;
    b.tokens -= 1; // reserve the token the caller will use after waiting
    return Math.ceil(wait);
  }
}

class RetryableHttpError extends Error {
  constructor(readonly status: number) {
    super(`registry answered ${status}`);
  }
}

interface RawResponse {
  status: number;
  body: string;
}

function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  credentials: RegistryCredentials,
  signal: AbortSignal,
): Promise<RawResponse> {
  // The registry's address is the deployment's, and still goes through the one outbound guard.
  // A registry gateway may sit on the deployment's private network (a VPN to the authority).
  const policy = { ...outboundPolicy(), privateNetworkHosts: hostList(process.env.REGISTRY_PRIVATE_HOSTS) };
  const refusal = refuseOutboundUrl(url.href, policy);
  if (refusal) return Promise.reject(new OutboundUrlRefused(refusal));
  return new Promise((resolve, reject) => {
    const tls = url.protocol === 'https:';
    const cert = credentials.clientCertificate;
    const options = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body).toString(),
        ...headers,
      },
      signal,
      lookup: publicOnlyLookup(policy),
      ...(tls && cert ? { cert: cert.certificatePem, key: cert.privateKeyPem } : {}),
    };
    const req = (tls ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class HttpCertificateRegistry implements CertificateRegistry {
  private readonly buckets: TokenBuckets;
  private readonly policy;
  private readonly breaker;

  constructor(private readonly options: HttpRegistryOptions) {
    this.buckets = new TokenBuckets(options.ratePerSecond ?? 5);
    const transient = handleWhen(
      (e) =>
        e instanceof RetryableHttpError ||
        e instanceof TaskCancelledError ||
        (e as NodeJS.ErrnoException).code !== undefined,
    );
    const retryPolicy = retry(transient, {
      maxAttempts: (options.maxAttempts ?? 3) - 1,
      // Exponential with decorrelated jitter: retries from many Lambdas do not align.
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 200, maxDelay: 5_000 }),
    });
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
      breaker: new ConsecutiveBreaker(options.breakAfter ?? 5),
    });
    const perCallTimeout = timeout(options.timeoutMs ?? 3_000, TimeoutStrategy.Aggressive);
    this.policy = wrap(this.breaker, retryPolicy, perCallTimeout);
  }

  async lookup(credentials: RegistryCredentials, query: RegistryQuery): Promise<RegistryRecord[]> {
    const started = performance.now();
    try {
      const records = await this.lookupOnce(credentials, query);
      count(METRIC.registryCall, { outcome: records.length ? 'found' : 'not_found' });
      return records;
    } catch (error) {
      // The unavailable rate's alarm reads these (docs/operations.md).
      count(METRIC.registryCall, {
        outcome: 'unavailable',
        cause: (error as { reason?: string }).reason ?? 'unknown',
      });
      throw error;
    } finally {
      millis(METRIC.registryLatency, performance.now() - started);
    }
  }

  private async lookupOnce(
    credentials: RegistryCredentials,
    query: RegistryQuery,
  ): Promise<RegistryRecord[]> {
    const wait = this.buckets.take(credentials.tenantId);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const url = new URL('/v1/certificates/query', this.options.baseUrl);
    const body = JSON.stringify(query);
    let response: RawResponse;
    try {
      response = await this.policy.execute(async ({ signal }) => {
        const res = await postJson(
          url,
          body,
          { 'x-credit-code': credentials.unifiedSocialCreditCode },
          credentials,
          signal,
        );
        if (res.status === 429 || res.status >= 500) throw new RetryableHttpError(res.status);
        return res;
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new RegistryUnavailable('circuit_open');
      if (error instanceof TaskCancelledError) throw new RegistryUnavailable('timeout');
      if (error instanceof RetryableHttpError) {
        throw new RegistryUnavailable(error.status === 429 ? 'rate_limited' : 'http_error', error.message);
      }
      throw new RegistryUnavailable('network', (error as Error).message);
    }
    if (response.status === 404) return [];
    if (response.status !== 200)
      throw new RegistryUnavailable('http_error', `registry answered ${response.status}`);
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new RegistryUnavailable('bad_response', 'registry answered something that is not JSON');
    }
    const parsed = RegistryResponse.safeParse(json);
    if (!parsed.success)
      throw new RegistryUnavailable('bad_response', 'registry answer does not follow the contract');
    return parsed.data.records;
  }
}
