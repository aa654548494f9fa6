// The admission providers' simulator: one HTTP service speaking the domestic-provider
// contract of docs/onboarding.md (liveness, face comparison, document text, identity), for
// `npm start` and the tests. Deterministic, so a test can say what should happen:
//  - liveness: a session completes when the "phone" posts a selfie to
//    POST /liveness/sessions/{id}/capture. Bytes containing `SPOOF` fail; `CONFIDENCE:<n>`
//    sets the score (default 98.7). The selfie is written to the session's presigned PUT
//    URL as the reference image. A session not captured within 180 s has EXPIRED.
//  - faces: each image's `FACE:<label>` marker is its face; same label → 99.2, another →
//    31.0, no marker in either → no face (similarity null).
//  - documents: the lines after a `TEXT:` marker up to `END` (or the end of the image).
//  - identity: an ID number whose sequence code (digits 15–17) is 999 → no_match.
// Modes, like the registry simulator's: down (503), slow, garbage (unparseable answers).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OnboardingSimulatorMode =
  | { mode: 'normal' }
  | { mode: 'down' }
  | { mode: 'slow'; delayMs: number }
  | { mode: 'garbage' };

export interface OnboardingSimulator {
  url: string;
  server: Server;
  setMode(mode: OnboardingSimulatorMode): void;
  /** What the provider was asked, by path (tests check that no image travelled inline). */
  calls: string[];
  close(): Promise<void>;
}

interface Session {
  createdAt: number;
  putUrl: string;
  key: string;
  status: 'CREATED' | 'SUCCEEDED' | 'FAILED';
  confidence?: number;
}

/** Rekognition's: a session is single-use and lapses ~3 minutes after creation. */
export const SIMULATED_SESSION_SECONDS = 180;

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const marker = (bytes: Buffer, name: string) =>
  new RegExp(`${name}:([^\\s\\u0000]+)`).exec(bytes.toString('latin1'))?.[1];

/** The lines after `TEXT:` (UTF-8) up to `END`. */
export function simulatedText(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const at = text.indexOf('TEXT:');
  if (at < 0) return [];
  const rest = text.slice(at + 5);
  const end = rest.indexOf('END');
  return (end < 0 ? rest : rest.slice(0, end))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

async function fetchImage(url: unknown): Promise<Buffer> {
  if (typeof url !== 'string') throw new Error('no url');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`image fetch ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export async function startOnboardingSimulator(
  port = 0,
  now: () => number = Date.now,
): Promise<OnboardingSimulator> {
  let mode: OnboardingSimulatorMode = { mode: 'normal' };
  const sessions = new Map<string, Session>();
  const calls: string[] = [];
  const send = (res: ServerResponse, status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(mode.mode === 'garbage' ? '{"not": "what you asked for"' : JSON.stringify(payload));
  };

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const raw = await body(req);
      if (path === '/__mode' && req.method === 'POST') {
        mode = JSON.parse(raw.toString('utf8')) as OnboardingSimulatorMode;
        res.writeHead(204).end();
        return;
      }
      calls.push(`${req.method} ${path}`);
      if (mode.mode === 'down') return send(res, 503, { error: 'down' });
      if (mode.mode === 'slow')
        await new Promise((r) => setTimeout(r, mode.mode === 'slow' ? mode.delayMs : 0));
      const json = () => JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;

      if (req.method === 'POST' && path === '/liveness/sessions') {
        const input = json() as { clientToken?: string; output?: { key?: string; putUrl?: string } };
        if (!input.output?.key || !input.output.putUrl) return send(res, 400, { error: 'output required' });
        // The client token makes a retried create return the same session.
        const existing = [...sessions.entries()].find(([, s]) => s.key === input.output?.key);
        if (existing) return send(res, 200, { sessionId: existing[0] });
        const sessionId = randomUUID();
        sessions.set(sessionId, {
          createdAt: now(),
          putUrl: input.output.putUrl,
          key: input.output.key,
          status: 'CREATED',
        });
        return send(res, 200, { sessionId });
      }
      const capture = /^\/liveness\/sessions\/([^/]+)\/capture$/.exec(path);
      if (req.method === 'POST' && capture) {
        const session = sessions.get(capture[1] as string);
        if (!session) return send(res, 404, { error: 'no such session' });
        if (session.status !== 'CREATED' || now() - session.createdAt > SIMULATED_SESSION_SECONDS * 1000)
          return send(res, 409, { error: 'session used or expired' });
        if (raw.includes('SPOOF')) {
          session.status = 'FAILED';
          session.confidence = 3.1;
        } else {
          const put = await fetch(session.putUrl, {
            method: 'PUT',
            body: raw,
            headers: { 'content-type': 'image/jpeg' },
          });
          if (!put.ok) return send(res, 502, { error: `reference upload ${put.status}` });
          session.status = 'SUCCEEDED';
          session.confidence = Number(marker(raw, 'CONFIDENCE') ?? 98.7);
        }
        return send(res, 200, { status: session.status });
      }
      const result = /^\/liveness\/sessions\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && result) {
        const session = sessions.get(result[1] as string);
        if (!session) return send(res, 404, { error: 'no such session' });
        const expired =
          session.status === 'CREATED' && now() - session.createdAt > SIMULATED_SESSION_SECONDS * 1000;
        return send(res, 200, {
          status: expired ? 'EXPIRED' : session.status,
          ...(session.confidence === undefined ? {} : { confidence: session.confidence }),
          ...(session.status === 'SUCCEEDED' ? { referenceImageKey: session.key } : {}),
        });
      }
      if (req.method === 'POST' && path === '/faces/compare') {
        const { sourceUrl, targetUrl } = json();
        const [source, target] = [
          marker(await fetchImage(sourceUrl), 'FACE'),
          marker(await fetchImage(targetUrl), 'FACE'),
        ];
        if (!source || !target) return send(res, 200, { similarity: null });
        return send(res, 200, { similarity: source === target ? 99.2 : 31.0 });
      }
      if (req.method === 'POST' && path === '/documents/text') {
        return send(res, 200, { lines: simulatedText(await fetchImage(json().imageUrl)) });
      }
      if (req.method === 'POST' && path === '/identity/verify') {
        const { idNumber } = json() as { idNumber?: string };
        if (typeof idNumber !== 'string') return send(res, 400, { error: 'idNumber required' });
        return send(res, 200, { result: idNumber.slice(14, 17) === '999' ? 'no_match' : 'match' });
      }
      send(res, 404, { error: 'no such route' });
    } catch (error) {
      send(res, 500, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    calls,
    setMode: (m) => {
      mode = m;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
