// A partner association, simulated (SPEC O4), for `npm run partner` and the tests: it holds
// its own Ed25519 key pair, signs every request (RFC 9421, as docs/federation.md asks of a
// real partner), looks people up by blinded ID number through our OPRF endpoint, and pushes
// and pulls entries. Switches: `tamper` (change the body after signing), `at` (a signing
// time, e.g. stale), `nonce` (reuse one: a replay), `keyId` (sign as someone else).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { blindIdNumber, OPRF_SUITE } from '../../functions/federation/pseudonyms.ts';
import { signRequest, verifyRequest } from '../../functions/shared/http-signatures.ts';

export interface SignedCall {
  tamper?: (body: string) => string;
  /** Sent to this path (and query) instead of the one signed: a request changed on the way. */
  sentPath?: string;
  at?: Date;
  nonce?: string;
  keyId?: string;
  privateKeyPem?: string;
}

export interface PartnerAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  /** What went over the wire: the tests assert a look-up carries no ID number. */
  sent: { path: string; body: string; headers: Record<string, string> };
}

export class PartnerSimulator {
  readonly publicKeyPem: string;
  private readonly privateKeyPem: string;
  partnerId = '';
  /** Deliveries received from the service, verified: their entries, in order. */
  readonly received: Record<string, unknown>[] = [];
  /** Deliveries refused (bad signature, …) with the reason. */
  readonly refused: string[] = [];
  /** Switch: answer every delivery 503, as a partner that is down. */
  down = false;
  private server?: Server;

  /** `keys`: a saved identity (`npm run partner` keeps one in .local/partner.json); else a new key pair. */
  constructor(
    readonly apiUrl: string,
    keys?: { publicKeyPem: string; privateKeyPem: string; partnerId?: string },
  ) {
    if (keys) {
      this.publicKeyPem = keys.publicKeyPem;
      this.privateKeyPem = keys.privateKeyPem;
      this.partnerId = keys.partnerId ?? '';
      return;
    }
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }

  /** What to save to act as the same partner later. */
  identity() {
    return { publicKeyPem: this.publicKeyPem, privateKeyPem: this.privateKeyPem, partnerId: this.partnerId };
  }

  async call<T = any>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: SignedCall = {},
  ): Promise<PartnerAnswer<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = await signRequest(
      { method, url: `${this.apiUrl}${path}`, body: text },
      { keyId: options.keyId ?? this.partnerId, privateKeyPem: options.privateKeyPem ?? this.privateKeyPem },
      options.at ?? new Date(),
      options.nonce ?? randomUUID(),
    );
    const sentBody = options.tamper ? options.tamper(text) : text;
    const res = await fetch(`${this.apiUrl}${options.sentPath ?? path}`, {
      method,
      headers,
      ...(method === 'GET' ? {} : { body: sentBody }),
    });
    const answer = await res.text();
    return {
      status: res.status,
      body: answer ? JSON.parse(answer) : undefined,
      headers: res.headers,
      sent: { path, body: sentBody, headers },
    };
  }

  /** The pseudonym of an ID number, learned without the service seeing the number. */
  async pseudonymOf(idNumber: string, serverPublicKey?: string) {
    // The key comes with every answer; a first look-up may verify against a pinned one.
    const key = serverPublicKey ?? (await this.serverKey());
    const { blinded, finish } = await blindIdNumber(idNumber, key);
    const answer = await this.call('POST', '/federation/oprf', { blindedElements: blinded });
    if (answer.status !== 200) return { answer, pseudonym: undefined };
    return { answer, pseudonym: await finish(answer.body.evaluation) };
  }

  /** The service's OPRF public key, from an evaluation of a throwaway element. */
  private async serverKey() {
    const { OPRFClient } = await import('@cloudflare/voprf-ts');
    const { CryptoNoble } = await import('@cloudflare/voprf-ts/crypto-noble');
    const [, request] = await new OPRFClient(OPRF_SUITE, CryptoNoble).blind([new Uint8Array([0])]);
    const blinded = request.blinded.map((e) => Buffer.from(e.serialize(true)).toString('base64url'));
    const answer = await this.call('POST', '/federation/oprf', { blindedElements: blinded });
    return answer.body.publicKey as string;
  }

  /** Starts receiving our deliveries on a local port; returns the delivery URL to register. */
  async listen(): Promise<string> {
    const ours = (await (await fetch(`${this.apiUrl}/federation/key`)).json()) as {
      keyId: string;
      publicKeyPem: string;
    };
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (this.down) {
          res.writeHead(503).end('down for maintenance');
          return;
        }
        const body = Buffer.concat(chunks);
        try {
          await verifyRequest(
            {
              method: req.method ?? 'POST',
              url: `http://partner.invalid${req.url ?? '/'}`,
              headers: req.headers as Record<string, string>,
              body,
            },
            async (keyId) => (keyId === ours.keyId ? ours.publicKeyPem : undefined),
            new Date(),
          );
        } catch (error) {
          this.refused.push((error as Error).message);
          res.writeHead(401).end();
          return;
        }
        this.received.push(...(JSON.parse(body.toString()).entries as Record<string, unknown>[]));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}/alliance/inbox`;
  }

  close() {
    return new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  push(entries: unknown[], options?: SignedCall) {
    return this.call('POST', '/federation/blacklist', { entries }, options);
  }

  pull(since?: string) {
    return this.call('GET', `/federation/blacklist${since ? `?since=${encodeURIComponent(since)}` : ''}`);
  }
}
