// The registry simulator: a small HTTP service speaking the gateway contract of
// docs/registry-contract.md, for `npm start` and the tests. It holds records in memory
// (seeded with the cases the product must handle), and can be told to misbehave: be
// down, be slow, or answer garbage.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskIdNumber } from '../../functions/shared/identity-numbers.ts';
import type { RegistryRecord } from '../../functions/verification/registry.ts';

export interface SimulatedRecord extends Omit<RegistryRecord, 'holderIdNumberMasked' | 'holderFormerNames'> {
  holderIdNumber: string;
  holderFormerNames?: string[];
}

export type SimulatorMode =
  | { mode: 'normal' }
  | { mode: 'down' }
  | { mode: 'slow'; delayMs: number }
  | { mode: 'garbage' };

export interface RegistrySimulator {
  url: string;
  server: Server;
  add(...records: SimulatedRecord[]): void;
  setMode(mode: SimulatorMode): void;
  calls: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const publicView = (r: SimulatedRecord): RegistryRecord => {
  const { holderIdNumber, holderFormerNames, ...rest } = r;
  return {
    ...rest,
    holderFormerNames: holderFormerNames ?? [],
    holderIdNumberMasked: maskIdNumber(holderIdNumber),
  };
};

/**
 * Example records every simulator starts with, one per case the product must handle
 * (a number absent from this list is "not found"). Try them with batch cleaning.
 */
export const SAMPLE_RECORDS: SimulatedRecord[] = [
  {
    scheme: 'SAMR',
    number: 'TS-SAMPLE-VALID',
    category: 'N1',
    holderName: '张伟',
    holderIdNumber: '11010519491231002X',
    issuedOn: '2024-03-01',
    expiresOn: '2028-02-29',
    status: 'valid',
  },
  {
    scheme: 'SAMR',
    number: 'TS-SAMPLE-EXPIRED',
    category: 'Q2',
    holderName: '李娜',
    holderIdNumber: '110105198001010016',
    issuedOn: '2021-01-10',
    expiresOn: '2025-01-09',
    status: 'expired',
  },
  {
    scheme: 'SAMR',
    number: 'TS-SAMPLE-REVOKED',
    category: 'Q1',
    holderName: '王强',
    holderIdNumber: '11010519850202001X',
    issuedOn: '2023-05-01',
    expiresOn: '2027-04-30',
    status: 'revoked',
    revokedOn: '2025-06-01',
  },
  // Renewed with a gap: the old card expired 2025-03-31, the new one was issued 2025-04-07.
  {
    scheme: 'MOHURD',
    number: '浙A042021000001',
    category: 'crane_driver',
    holderName: '赵敏',
    holderIdNumber: '330106198811300012',
    issuedOn: '2023-04-01',
    expiresOn: '2025-03-31',
    status: 'expired',
  },
  {
    scheme: 'MOHURD',
    number: '浙A042025000001',
    category: 'crane_driver',
    holderName: '赵敏',
    holderIdNumber: '330106198811300012',
    issuedOn: '2025-04-07',
    expiresOn: '2027-04-06',
    status: 'valid',
  },
  {
    scheme: 'SAMR',
    number: 'TS-SAMPLE-PINYIN',
    category: 'N1',
    holderName: 'Zhou Zhiruo',
    holderIdNumber: '110105199003030015',
    issuedOn: '2024-06-01',
    expiresOn: '2028-05-31',
    status: 'valid',
  },
  {
    scheme: 'SAMR',
    number: 'TS-SAMPLE-FORMER',
    category: 'G1',
    holderName: '殷离',
    holderFormerNames: ['殷素素'],
    holderIdNumber: '110105199204040017',
    issuedOn: '2024-06-01',
    expiresOn: '2028-05-31',
    status: 'valid',
  },
];

export async function startRegistrySimulator(port = 0): Promise<RegistrySimulator> {
  const records: SimulatedRecord[] = [...SAMPLE_RECORDS];
  let mode: SimulatorMode = { mode: 'normal' };
  const sim = {
    calls: 0,
    add: (...r: SimulatedRecord[]) => {
      records.push(...r);
    },
    setMode: (m: SimulatorMode) => {
      mode = m;
    },
  };

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    try {
      // Control endpoints for the local stack and tests.
      if (req.url === '/_sim/records' && req.method === 'POST') {
        sim.add(...((await readJson(req)) as SimulatedRecord[]));
        return send(204, '');
      }
      if (req.url === '/_sim/mode' && req.method === 'POST') {
        mode = (await readJson(req)) as SimulatorMode;
        return send(204, '');
      }
      if (req.url !== '/v1/certificates/query' || req.method !== 'POST')
        return send(404, { error: 'no such endpoint' });
      sim.calls++;
      if (mode.mode === 'down') return send(503, { error: 'registry unavailable' });
      if (mode.mode === 'slow')
        await new Promise((r) => setTimeout(r, (mode as { delayMs: number }).delayMs));
      if (mode.mode === 'garbage') return send(200, '<html>维护中</html>');
      if (!req.headers['x-credit-code']) return send(401, { error: 'x-credit-code required' });
      const q = (await readJson(req)) as { certificateNumber?: string; idNumber?: string; scheme?: string };
      const hits = records.filter(
        (r) =>
          (!q.scheme || r.scheme === q.scheme) &&
          ((q.certificateNumber && r.number.toUpperCase() === q.certificateNumber.toUpperCase()) ||
            (q.idNumber && r.holderIdNumber.toUpperCase() === q.idNumber.toUpperCase())),
      );
      return send(200, { records: hits.map(publicView) });
    } catch {
      return send(400, { error: 'bad request' });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const { port: actual } = server.address() as AddressInfo;
  return Object.assign(sim, {
    url: `http://127.0.0.1:${actual}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
