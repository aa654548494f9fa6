// A POST to a URL someone else gave us (a partner's delivery address): through the outbound
// guard on the text and on every address it resolves to, with a deadline, no redirects
// followed, and at most a little of the answer read (nothing of it is shown to anyone).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OutboundUrlRefused, outboundPolicy, publicOnlyLookup, refuseOutboundUrl } from './outbound-url.ts';

export interface OutboundAnswer {
  status: number;
}

/** Why an outbound call got no answer, in words safe to store and show (no address, no body). */
export type OutboundFailure = 'refused_address' | 'timeout' | 'unreachable';

export class OutboundCallFailed extends Error {
  override readonly name = 'OutboundCallFailed';
  constructor(readonly failure: OutboundFailure) {
    super(`outbound call failed: ${failure}`);
  }
}

const MAX_ANSWER_BYTES = 16_384;

export function postOutbound(
  url: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number },
  policy = outboundPolicy(),
): Promise<OutboundAnswer> {
  const refusal = refuseOutboundUrl(url, policy);
  if (refusal) return Promise.reject(new OutboundCallFailed('refused_address'));
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
        lookup: publicOnlyLookup(policy),
        timeout: options.timeoutMs,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    const deadline = setTimeout(() => req.destroy(new OutboundCallFailed('timeout')), options.timeoutMs);
    req.on('timeout', () => req.destroy(new OutboundCallFailed('timeout')));
    req.on('error', (error) => {
      clearTimeout(deadline);
      if (error instanceof OutboundCallFailed) return reject(error);
      reject(new OutboundCallFailed(error instanceof OutboundUrlRefused ? 'refused_address' : 'unreachable'));
    });
    req.on('close', () => clearTimeout(deadline));
    req.end(options.body);
  });
}
