// The local stand-in for AWS IoT Core: an MQTT-over-TLS broker (aedes) that requires a
// client certificate from the local CA, lets a device connect only with its own id as
// client id (the certificate's CN, like an IoT thing name) and use only its own topics —
// the same limits as the IoT policy — plus the bridge that applies the gate-scan topic
// rule (iot-rules/gate-scan.sql) and answers on the device's decision topic.

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { Aedes, type Client } from 'aedes';
import { GATE_SCAN_RULE, topicLevel, topicMatches } from '../../iot-rules/rules.ts';
import type { LocalCa } from './local-ca.ts';

/**
 * Resolves to the decision to send and what the function does once it is sent, or to
 * undefined for a scan that gets none (malformed).
 */
export type ScanHandler = (
  gateId: string,
  message: unknown,
) => Promise<{ decision: unknown; afterPublish?: () => Promise<void> } | undefined>;

/** AWS IoT Core's message size limit. */
export const IOT_MAX_PAYLOAD_BYTES = 128 * 1024;
const DEFAULT_BRIDGE_CONCURRENCY = 4;
const RETRY_DELAYS_MS = [100, 400, 1600];

/** A counting semaphore: at most `size` tasks run at once, the rest wait in order. */
class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

async function withRetries<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        console.error('gate scan failed after retries:', (error as Error).message);
        throw error;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export interface LocalMqtt {
  url: string;
  port: number;
  /** Drops a device's connection (its certificate was revoked). */
  disconnect(clientId: string): void;
  /** Publishes as the broker itself, as the IoT data plane does for the functions. */
  publish(topic: string, payload: string, options: { retain: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** The gate id a connection proved with its certificate. */
function certifiedId(client: Client): string | undefined {
  const socket = client.conn as TLSSocket;
  const cn = socket.getPeerCertificate?.()?.subject?.CN;
  return typeof cn === 'string' ? cn : Array.isArray(cn) ? cn[0] : undefined;
}

export async function startLocalMqtt(
  ca: LocalCa,
  onScan: ScanHandler,
  port = 0,
  options: { concurrency?: number } = {},
): Promise<LocalMqtt> {
  const server = await ca.serverCertificate();
  const broker = await Aedes.createBroker({
    authenticate: (client, _username, _password, done) => {
      // Like `iot:Connect` on `client/${iot:Connection.Thing.ThingName}`, with an active certificate.
      const serial = (client.conn as TLSSocket).getPeerCertificate?.()?.serialNumber;
      if (certifiedId(client) === client.id && !(serial && ca.isRevoked(serial))) return done(null, true);
      const error = Object.assign(new Error('client id must be the certificate’s gate id'), {
        returnCode: 5 as const,
      });
      done(error, false);
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker itself (decisions)
      if (packet.topic !== `gates/${certifiedId(client)}/scan`)
        return done(new Error('not this device’s topic'));
      // IoT Core refuses a message over 128 KB; so does the local broker, so that a gate
      // firmware bug shows here before production.
      const payload = Buffer.from(packet.payload);
      if (payload.length > IOT_MAX_PAYLOAD_BYTES) return done(new Error('payload over 128 KB'));
      // The rule runs before the PUBACK: a scan is acknowledged once its decision is stored.
      // If it keeps failing, the publish is refused (the connection drops) and the device
      // sends it again — at least once, never acknowledged and lost.
      bridge(packet.topic, payload).then(
        () => done(null),
        () => done(new Error('scan not processed; send it again')),
      );
    },
    authorizeSubscribe: (client, subscription, done) => {
      const own = `gates/${certifiedId(client)}/`;
      const allowlist = subscription.topic.startsWith(`${own}allowlist/`)
        ? subscription.topic.slice(`${own}allowlist/`.length)
        : undefined;
      const mine =
        subscription.topic === `${own}decision` || allowlist === '+' || /^[0-9]+$/.test(allowlist ?? '');
      done(null, mine ? subscription : null);
    },
  });

  // The bridge: the topic rule's filter, topic(2) as the gate id, the same handler as the
  // Lambda, at most `concurrency` scans at once (like a reserved concurrency), each retried
  // with backoff as Lambda retries an asynchronous invocation.
  const slots = new Semaphore(options.concurrency ?? DEFAULT_BRIDGE_CONCURRENCY);
  async function bridge(topic: string, payload: Buffer): Promise<void> {
    if (!topicMatches(GATE_SCAN_RULE.topicFilter, topic)) return;
    const gateId = topicLevel(topic, 2) as string;
    let message: unknown;
    try {
      message = JSON.parse(payload.toString('utf8'));
    } catch {
      return; // not JSON: the rule would not fire either
    }
    const outcome = await slots.run(() => withRetries(() => onScan(gateId, message)));
    if (outcome === undefined) return; // a malformed scan: no decision, as the Lambda logs and drops it
    const { decision, afterPublish } = outcome;
    await new Promise<void>((resolve) =>
      broker.publish(
        {
          cmd: 'publish',
          topic: `gates/${gateId}/decision`,
          payload: Buffer.from(JSON.stringify(decision)),
          qos: 1,
          retain: false,
          dup: false,
        },
        () => resolve(),
      ),
    );
    await afterPublish?.();
  }

  const tlsServer: Server = createServer(
    {
      key: server.privateKeyPem,
      cert: server.certificatePem,
      ca: [ca.certificatePem],
      requestCert: true,
      rejectUnauthorized: true,
    },
    broker.handle as never,
  );
  await new Promise<void>((resolve) => tlsServer.listen(port, '127.0.0.1', () => resolve()));
  const actual = (tlsServer.address() as AddressInfo).port;
  return {
    url: `mqtts://127.0.0.1:${actual}`,
    port: actual,
    disconnect: (clientId) => {
      // aedes keeps its live clients in `clients` (not in its type declarations).
      (broker as unknown as { clients: Record<string, Client | undefined> }).clients[clientId]?.close();
    },
    publish: (topic, payload, options) =>
      new Promise<void>((resolve, reject) =>
        broker.publish(
          {
            cmd: 'publish',
            topic,
            payload: Buffer.from(payload),
            qos: 1,
            retain: options.retain,
            dup: false,
          },
          (error) => (error ? reject(error) : resolve()),
        ),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => tlsServer.close(() => resolve()));
      }),
  };
}
