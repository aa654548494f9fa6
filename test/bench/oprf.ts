// The alliance OPRF (RFC 9497 VOPRF, P256-SHA256 on @noble/curves): blinded evaluations per
// second on one core (what a partner's look-ups cost us), a direct evaluation (what a person's
// registration costs), and the partner's side (blind + finalize with the proof check).
import { blindIdNumber, OprfPseudonyms } from '../../functions/federation/pseudonyms.ts';
import { newIdNumber } from '../support/fixtures.ts';

export async function benchOprf(): Promise<string[]> {
  const pseudonyms = new OprfPseudonyms(async () => 'bench-root-secret');
  const key = await pseudonyms.publicKey();
  const n = Number(process.env.OPRF_EVALUATIONS ?? 200);
  const ids = Array.from({ length: n }, () => newIdNumber());
  const blinded = await Promise.all(ids.map((id) => blindIdNumber(id, key)));
  await pseudonyms.evaluateBlinded([Buffer.from(blinded[0]?.blinded[0] as string, 'base64url')]); // warm
  let t0 = performance.now();
  const evaluations: string[] = [];
  for (const b of blinded)
    evaluations.push(await pseudonyms.evaluateBlinded([Buffer.from(b.blinded[0] as string, 'base64url')]));
  const blindMs = (performance.now() - t0) / n;
  t0 = performance.now();
  for (const id of ids) await pseudonyms.of(id);
  const directMs = (performance.now() - t0) / n;
  t0 = performance.now();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const out = await (blinded[i] as Awaited<ReturnType<typeof blindIdNumber>>).finish(
      evaluations[i] as string,
    );
    if (out === (await pseudonyms.of(ids[i] as string))) agree += 1;
  }
  const finishMs = (performance.now() - t0) / n - directMs;
  // A batch of 10 elements shares one proof.
  const ten = blinded.slice(0, 10).map((b) => Buffer.from(b.blinded[0] as string, 'base64url'));
  t0 = performance.now();
  for (let i = 0; i < 20; i++) await pseudonyms.evaluateBlinded(ten);
  const batchMs = (performance.now() - t0) / 20;
  return [
    `  blinded evaluation with proof (1 element): ${blindMs.toFixed(1)} ms → ${(1000 / blindMs).toFixed(0)} per second per core`,
    `  batch of 10 elements, one proof: ${batchMs.toFixed(1)} ms → ${((10 * 1000) / batchMs).toFixed(0)} elements per second per core`,
    `  direct evaluation (a registration's pseudonym): ${directMs.toFixed(1)} ms`,
    `  partner side, finalize with proof check: ~${finishMs.toFixed(1)} ms; outputs equal to ours: ${agree}/${n}`,
    `  at the 60-a-minute limit, enumerating 10^11 plausible ID numbers takes one partner ~${(1e11 / 60 / 60 / 24 / 365).toExponential(1)} years`,
  ];
}
