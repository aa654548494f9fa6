// A webhook receiver to try subscriptions against (docs/webhooks.md): listens on loopback,
// checks each delivery's RFC 9421 signature with the subscription's public key (from
// POST/GET /webhooks), refuses one it cannot verify (401), takes each event once (the
// `webhook-id` header is the idempotency key) and prints it.
//
//   npm run webhook-receiver -- --public-key key.pem --key-id whk_… [--port 8787]
//
// Subscribe http://127.0.0.1:8787/hook: loopback is accepted only by `npm start`'s own
// setting (OUTBOUND_ALLOW_LOCAL_HTTP), never by a deployed stack.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { verifyRequest } from '../../functions/shared/http-signatures.ts';

const { values } = parseArgs({
  options: {
    'public-key': { type: 'string' },
    'key-id': { type: 'string' },
    port: { type: 'string', default: '8787' },
  },
});
if (!values['public-key'] || !values['key-id']) {
  console.error('Usage: npm run webhook-receiver -- --public-key key.pem --key-id whk_… [--port 8787]');
  process.exit(2);
}
const publicKeyPem = readFileSync(values['public-key'], 'utf8');
const keyId = values['key-id'];
const seen = new Set<string>();

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    try {
      // The full URL as the sender addressed it: the signature covers its path.
      await verifyRequest(
        {
          method: req.method ?? 'POST',
          url: `http://${req.headers.host}${req.url}`,
          headers: req.headers as Record<string, string>,
          body,
        },
        async (id) => (id === keyId ? publicKeyPem : undefined),
        new Date(),
      );
    } catch (error) {
      console.log(`refused: ${(error as Error).message}`);
      res.statusCode = 401;
      return res.end();
    }
    const id = String(req.headers['webhook-id']);
    if (seen.has(id)) console.log(`again (ignored): ${id}`);
    else {
      seen.add(id);
      console.log(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2));
    }
    res.statusCode = 204;
    res.end();
  });
}).listen(Number(values.port), '127.0.0.1', () =>
  console.log(`listening on http://127.0.0.1:${values.port}/hook`),
);
