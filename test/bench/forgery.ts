// The forgery analysis on the generated labelled set (test/support/forgery-set.ts):
// precision and recall of "locked for review" at the default threshold, per case kind,
// ms per image, and how often the 4-band index finds a reuse that a full comparison finds.

import {
  CARD_REGION,
  DEFAULT_FORGERY_THRESHOLD,
  HASH_BANDS,
  hashBands,
  PHOTO_REGION,
  REUSE_DISTANCE,
  resamplingPeak,
  riskScore,
} from '../../functions/onboarding/forgery.ts';
import type { Measured } from '../../functions/onboarding/forgery-analysis.ts';
import {
  crop,
  decodeImage,
  hammingDistance,
  perceptualHash,
  type RgbaImage,
  secondDifferenceSpectrum,
  toGray,
} from '../../functions/onboarding/image-signals.ts';
import { card, encodeJpeg } from '../support/forgery-images.ts';
import { analyseCase, labelledSet } from '../support/forgery-set.ts';
import { heldOutLines } from './forgery-holdout.ts';

export async function benchForgery(): Promise<string[]> {
  const seeds = Array.from({ length: Number(process.env.FORGERY_SEEDS ?? 12) }, (_, i) => i + 1);
  const cases = labelledSet(seeds);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const ms: number[] = [];
  const byKind = new Map<string, { n: number; flagged: number }>();
  let reuseFull = 0;
  let reuseBanded = 0;
  // The resampling peak of the photo area: how far enlarged portraits stand from genuine ones.
  const peaks = { genuine: [] as number[], enlarged: [] as number[] };
  const measuredOnce = new Map<Buffer, Measured>();
  for (const c of cases) {
    if (!c.forged || c.kind === 'resampled_photo') {
      const photo = crop(toGray(decodeImage(c.image) as RgbaImage), PHOTO_REGION);
      const { strength } = resamplingPeak([
        secondDifferenceSpectrum(photo, 'x'),
        secondDifferenceSpectrum(photo, 'y'),
      ]);
      (c.forged ? peaks.enlarged : peaks.genuine).push(strength);
    }
    const t0 = performance.now();
    const banded = await analyseCase(c, { banded: true, index: measuredOnce });
    ms.push(performance.now() - t0);
    const full = await analyseCase(c, { index: measuredOnce });
    reuseFull += full.reuse.length;
    reuseBanded += banded.reuse.length;
    const found = banded.reuse;
    const measured = banded.measured;
    const flagged = riskScore([...measured.signals, ...found]) >= DEFAULT_FORGERY_THRESHOLD;
    if (flagged && c.forged) tp += 1;
    else if (flagged) fp += 1;
    else if (c.forged) fn += 1;
    else tn += 1;
    const k = byKind.get(c.kind) ?? { n: 0, flagged: 0 };
    byKind.set(c.kind, { n: k.n + 1, flagged: k.flagged + (flagged ? 1 : 0) });
  }
  // How many candidates a look-up returns in a tenant of N cards: cards of one layout have
  // correlated hashes, so buckets are not uniform; measured, not assumed.
  const n = Number(process.env.FORGERY_INDEX_CARDS ?? 400);
  const grays = Array.from({ length: n }, (_, k) =>
    toGray(decodeImage(encodeJpeg(card(10_000 + k))) as RgbaImage),
  );
  const candidatesPerLookup = (region: typeof CARD_REGION) => {
    const buckets = new Map<string, number>();
    const hashes = grays.map((gray) => perceptualHash(crop(gray, region)));
    for (const h of hashes) for (const band of hashBands(h)) buckets.set(band, (buckets.get(band) ?? 0) + 1);
    return (
      hashes.reduce(
        (sum, h) => sum + hashBands(h).reduce((s2, band) => s2 + (buckets.get(band) ?? 0) - 1, 0),
        0,
      ) / n
    );
  };
  // Different people's portraits that would pass for the same one (distance ≤ REUSE_DISTANCE).
  const lookalikes = (region: typeof CARD_REGION, within: number) => {
    const hashes = grays.map((gray) => perceptualHash(crop(gray, region)));
    let pairs = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        if (hammingDistance(hashes[i] as string, hashes[j] as string) <= within) pairs += 1;
    return pairs;
  };
  const perCard = candidatesPerLookup(CARD_REGION);
  const perPhoto = candidatesPerLookup(PHOTO_REGION);
  const sorted = [...ms].sort((a, b) => a - b);
  const p = (q: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(0);
  return [
    `  labelled set: ${cases.length} images (${seeds.length} seeds × ${byKind.size} kinds), 640×400 JPEG, threshold ${DEFAULT_FORGERY_THRESHOLD}`,
    `  precision ${(tp / Math.max(1, tp + fp)).toFixed(2)}, recall ${(tp / Math.max(1, tp + fn)).toFixed(2)} (tp ${tp}, fp ${fp}, fn ${fn}, tn ${tn})`,
    ...[...byKind].map(([kind, k]) => `    ${kind.padEnd(20)} flagged ${k.flagged}/${k.n}`),
    `  resampling peak of the portrait (× median bin): genuine max ${Math.max(...peaks.genuine).toFixed(1)}, enlarged min ${Math.min(...peaks.enlarged).toFixed(1)} (signal from 9, sure from 11)`,
    `  reuse signals found through the ${HASH_BANDS}-band index: ${reuseBanded} of ${reuseFull} a full comparison finds`,
    `  band index over ${n} cards of one layout, candidates per look-up: text area ${perCard.toFixed(1)} (${((100 * perCard) / n).toFixed(1)} %), portrait ${perPhoto.toFixed(1)} (${((100 * perPhoto) / n).toFixed(1)} %)`,
    `  different people's cards within the reuse distance: text area ${lookalikes(CARD_REGION, REUSE_DISTANCE.card)}, portrait ${lookalikes(PHOTO_REGION, REUSE_DISTANCE.photo)} of ${(n * (n - 1)) / 2} pairs`,
    `  analysis per image: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms`,
    ...(await heldOutLines()),
  ];
}
