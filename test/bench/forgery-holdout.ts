// The forgery analysis on the independently drawn set (test/support/forgery-holdout.ts), in
// two splits: calibration (the limits in forgery.ts were chosen on it) and held-out (measured
// with the limits fixed). Per tenant: a cohort of honest workers of one layout, each analysed
// against the ones before through the band index, as onboarding does; then the probes (a
// forwarded honest photo, splices on plain and patterned paper, a reused card, a swapped
// portrait). Reported: precision and recall of "locked for review", false locks per 1,000
// honest workers, each with a Wilson 95 % interval, and which signals fired on honest workers.
import {
  DEFAULT_FORGERY_THRESHOLD,
  REUSE_CONFIRM,
  REUSE_DISTANCE,
  riskScore,
} from '../../functions/onboarding/forgery.ts';
import { COMPARISON_TILES, type Measured } from '../../functions/onboarding/forgery-analysis.ts';
import { hammingDistance, printSimilarity } from '../../functions/onboarding/image-signals.ts';
import { type HoldoutCase, holdoutTenant } from '../support/forgery-holdout.ts';
import { analyseCase } from '../support/forgery-set.ts';

/** Wilson score interval (95 %) of k in n, as fractions. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (!n) return [0, 1];
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const pct = ([lo, hi]: [number, number]) => `${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)} %`;
const perMille = ([lo, hi]: [number, number]) => `${(lo * 1000).toFixed(1)}–${(hi * 1000).toFixed(1)}`;

async function evaluate(seeds: number[], cohort: number) {
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byKind = new Map<string, { n: number; locked: number }>();
  const honestSignals = new Map<string, number>();
  // Different people within the hash distance, and how the full comparison judged them.
  const nearPairs = { card: 0, photo: 0, confirmed: 0 };
  let honest = 0;
  let falseLocks = 0;
  for (const seed of seeds) {
    const tenant = holdoutTenant(seed, cohort);
    const measured = new Map<Buffer, Measured>();
    const run = async (c: HoldoutCase) => {
      const { signals, measured: m } = await analyseCase(c, { banded: true, index: measured });
      measured.set(c.image, m);
      const locked = riskScore(signals) >= DEFAULT_FORGERY_THRESHOLD;
      const k = byKind.get(c.kind) ?? { n: 0, locked: 0 };
      byKind.set(c.kind, { n: k.n + 1, locked: k.locked + (locked ? 1 : 0) });
      if (c.forged) locked ? counts.tp++ : counts.fn++;
      else {
        honest += 1;
        if (locked) falseLocks += 1;
        locked ? counts.fp++ : counts.tn++;
        for (const s of signals) honestSignals.set(s.code, (honestSignals.get(s.code) ?? 0) + 1);
      }
    };
    for (const c of tenant.cohort) await run(c);
    for (const c of tenant.probes) await run(c);
    const workers = tenant.cohort.map((c) => measured.get(c.image) as Measured);
    for (let i = 0; i < workers.length; i++)
      for (let j = i + 1; j < workers.length; j++)
        for (const kind of ['card', 'photo'] as const) {
          const a = workers[i];
          const b = workers[j];
          if (!a?.hashes || !b?.hashes || !a.prints || !b.prints) continue;
          if (hammingDistance(a.hashes[kind], b.hashes[kind]) > REUSE_DISTANCE[kind]) continue;
          nearPairs[kind] += 1;
          const similarity = printSimilarity(a.prints[kind], b.prints[kind], COMPARISON_TILES[kind]);
          if (similarity >= REUSE_CONFIRM[kind].confirm) nearPairs.confirmed += 1;
        }
  }
  return { counts, byKind, honestSignals, nearPairs, honest, falseLocks };
}

export async function heldOutLines(): Promise<string[]> {
  const cohort = Number(process.env.FORGERY_COHORT ?? 25);
  const tenants = Number(process.env.FORGERY_TENANTS ?? 20);
  const lines: string[] = [];
  for (const [name, seeds] of [
    ['calibration', Array.from({ length: Math.ceil(tenants / 2) }, (_, i) => i + 1)],
    // The first held-out run (seeds from 10,001) informed two limits and is spent: see docs/benchmarks.md.
    [
      'held-out',
      Array.from({ length: tenants }, (_, i) => Number(process.env.FORGERY_HELD_OUT ?? 20_001) + i),
    ],
  ] as const) {
    const t0 = performance.now();
    const r = await evaluate([...seeds], cohort);
    const { tp, fp, fn } = r.counts;
    lines.push(
      `  ${name} split: ${seeds.length} tenants × (${cohort} honest workers + 5 probes), ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      `    precision ${(tp / Math.max(1, tp + fp)).toFixed(2)} (95 % ${pct(wilson(tp, tp + fp))}), recall ${(tp / Math.max(1, tp + fn)).toFixed(2)} (95 % ${pct(wilson(tp, tp + fn))}) — tp ${tp}, fp ${fp}, fn ${fn}, tn ${r.counts.tn}`,
      `    false locks: ${r.falseLocks} of ${r.honest} honest workers = ${((1000 * r.falseLocks) / Math.max(1, r.honest)).toFixed(1)} per 1,000 (95 % ${perMille(wilson(r.falseLocks, r.honest))})`,
      ...[...r.byKind].map(([kind, k]) => `      ${kind.padEnd(18)} locked ${k.locked}/${k.n}`),
      `    signals on honest workers: ${[...r.honestSignals].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`,
      `    different workers within the hash distance: card ${r.nearPairs.card} pairs, portrait ${r.nearPairs.photo} pairs; confirmed as reuse by the full comparison: ${r.nearPairs.confirmed}`,
    );
  }
  return lines;
}
