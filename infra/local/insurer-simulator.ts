// An insurer, simulated (SPEC E2), for the tests and trying the link locally: it holds its own
// Ed25519 key pair (registered with its terms), verifies each delivery with the subscription's
// signing key (RFC 9421), takes each event once (`webhook-id`), and answers with a signed
// acknowledgement to POST /insurers/acknowledgements carrying its new cover: none while
// suspended or after a lapse, four fifths of the base at or over the points threshold, the
// base again on reinstatement. Switches: `down` (503), `slow` (answers after the delivery's
// timeout), `silent` (no acknowledgement), `forge` (acknowledges with a key it never
// registered).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest, verifyRequest } from '../../functions/shared/http-signatures.ts';

export interface InsurerDelivery {
  id: string;
  type: string;
  occurredAt: string;
  date?: string;
  policyNumber?: string;
  insured?: { reference: string; nameMasked: string };
  points?: number;
  threshold?: number;
}

export const BASE_COVER = 600_000;

/** The cover an insurer gives after an event (yuan); undefined: unchanged. */
export function coverAfter(delivery: InsurerDelivery): number | undefined {
  switch (delivery.type) {
    case 'certificate.lapsed':
    case 'person.suspended':
      return 0;
    case 'person.points_changed':
      return Math.round(BASE_COVER * 0.8);
    case 'person.reinstated':
      return BASE_COVER;
    default:
      return undefined;
  }
}

export class InsurerSimulator {
  readonly publicKeyPem: string;
  private readonly privateKeyPem: string;
  /** Deliveries received and verified, in order (each event once). */
  readonly received: InsurerDelivery[] = [];
  /** Deliveries refused, with the reason (a bad signature …). */
  readonly refused: string[] = [];
  /** Acknowledgements sent and the service's answer status. */
  readonly acknowledged: { eventId: string; status: number; body: unknown }[] = [];
  down = false;
  slow = false;
  silent = false;
  forge = false;
  /** The subscription's signing identity and the keyid we sign acknowledgements with (from POST /webhooks). */
  trusted?: { keyId: string; publicKeyPem: string; acknowledgementKeyId: string };
  private server?: Server;
  private readonly seen = new Set<string>();

  constructor(readonly apiUrl: string) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }

  /** Starts receiving deliveries on loopback; answers the URL to subscribe. */
  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (this.down) return void res.writeHead(503).end('down for maintenance');
        if (this.slow) await new Promise((r) => setTimeout(r, 7_000));
        const body = Buffer.concat(chunks);
        const trusted = this.trusted;
        try {
          await verifyRequest(
            {
              method: req.method ?? 'POST',
              url: `http://insurer.invalid${req.url ?? '/'}`,
              headers: req.headers as Record<string, string>,
              body,
            },
            async (keyId) => (keyId === trusted?.keyId ? trusted.publicKeyPem : undefined),
            new Date(),
          );
        } catch (error) {
          this.refused.push((error as Error).message);
          return void res.writeHead(401).end();
        }
        const delivery = JSON.parse(body.toString('utf8')) as InsurerDelivery;
        res.writeHead(204).end();
        if (this.seen.has(delivery.id)) return;
        this.seen.add(delivery.id);
        this.received.push(delivery);
        if (!this.silent && delivery.type !== 'webhook.ping') await this.acknowledge(delivery);
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/insurer/events`;
  }

  /** A signed acknowledgement of one delivery, with the cover the event leads to. */
  async acknowledge(delivery: Pick<InsurerDelivery, 'id' | 'type'>, options: { nonce?: string } = {}) {
    const amount = coverAfter(delivery as InsurerDelivery);
    const text = JSON.stringify({
      eventId: delivery.id,
      ...(amount === undefined
        ? {}
        : {
            cover: {
              amount,
              currency: 'CNY',
              effectiveOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
            },
          }),
    });
    const url = `${this.apiUrl}/insurers/acknowledgements`;
    const privateKeyPem = this.forge
      ? (generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
      : this.privateKeyPem;
    const headers = await signRequest(
      { method: 'POST', url, body: text },
      { keyId: this.trusted?.acknowledgementKeyId ?? 'unknown', privateKeyPem },
      new Date(),
      options.nonce ?? randomUUID(),
    );
    const res = await fetch(url, { method: 'POST', headers, body: text });
    const answer = {
      eventId: delivery.id,
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
    this.acknowledged.push(answer);
    return answer;
  }

  async close() {
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
  }
}
