// The forgery analysis of a certificate image (SPEC O3), as rules over measured signals:
// each signal has a confidence (0–1) and a weight (how much it says about forgery when
// sure); the risk is 0–100, combined so that independent signals add up without any one
// weak signal reaching the review threshold on its own. What each signal can and cannot
// detect is in docs/onboarding.md.

import { truncateText } from '../shared/text.ts';
import type { Region } from './image-signals.ts';

export type SignalCode =
  | 'card_reused' // the same card image is another person's
  | 'photo_reused' // the holder's photo appears on another person's card
  | 'editing_software' // EXIF names an image editor
  | 'no_camera_metadata' // a JPEG "photo" with no camera make/model
  | 'edited_after_capture' // modified long after it was taken
  | 'error_level_inconsistent' // a region with another compression history
  | 'lighting_inconsistent' // light falls on the photo from another side than on the card
  | 'seal_flat_under_flash' // the seal brightens like paper: a printed copy
  | 'photo_resampled' // the holder's photo was enlarged into the card (interpolation period)
  | 'face_mismatch'; // O1's face match sent the holder to review

export interface Signal {
  code: SignalCode;
  confidence: number;
  detail?: Record<string, string | number>;
}

/** How much each signal says about forgery when certain (0–1). */
export const SIGNAL_WEIGHTS: Record<SignalCode, number> = {
  card_reused: 0.95,
  photo_reused: 0.9,
  editing_software: 0.6,
  error_level_inconsistent: 0.7,
  seal_flat_under_flash: 0.65,
  // A note for the reviewer, not evidence: on ID photos the portrait's own content (dark
  // hair and clothes on a flat backdrop) outweighs the light, and the held-out set fired it
  // on most honest workers (docs/benchmarks.md). It needs a face-aware estimate to count.
  lighting_inconsistent: 0.25,
  photo_resampled: 0.75,
  face_mismatch: 0.4,
  edited_after_capture: 0.25,
  no_camera_metadata: 0.1,
};

/** Default review threshold: a tenant may lower it (stricter) in its onboarding settings. */
export const DEFAULT_FORGERY_THRESHOLD = 60;

/** Risk 0–100: 1 − Π(1 − weight × confidence). */
export function riskScore(signals: readonly Signal[]): number {
  const clean = signals.reduce(
    (p, s) => p * (1 - SIGNAL_WEIGHTS[s.code] * Math.min(1, Math.max(0, s.confidence))),
    1,
  );
  return Math.round((1 - clean) * 100);
}

/** The signals that drove the score, strongest first. */
export const drivers = (signals: readonly Signal[]) =>
  [...signals].sort((a, b) => SIGNAL_WEIGHTS[b.code] * b.confidence - SIGNAL_WEIGHTS[a.code] * a.confidence);

/**
 * Where the holder's photo sits on a card photographed edge to edge (MEM and SAMR cards
 * alike put it on the left). Measurements of "the photo" use this region.
 */
export const PHOTO_REGION: Region = { x: 0.05, y: 0.2, w: 0.25, h: 0.55 };
/** The rest of the card, for lighting: the right half, where text sits on plain paper. */
export const CARD_REGION: Region = { x: 0.45, y: 0.1, w: 0.5, h: 0.8 };

// ---- reuse: perceptual hashes indexed by bands --------------------------------------

/**
 * Suspected near duplicates, in bits of 64: a card photographed or saved again moves 0–10
 * bits of its text-area hash (shifted, rescaled a little); a portrait cut from one card and
 * pasted onto another 0–4. Other cards of a layout and other people's ID photos come as
 * close (docs/benchmarks.md), so a hash within these is a suspicion for the full
 * comparison (REUSE_CONFIRM), never a finding by itself.
 */
export const REUSE_DISTANCE = { card: 8, photo: 4 } as const;
/**
 * 4 bands of 16 bits: two hashes ≤ 3 bits apart always share a band (pigeonhole), farther
 * ones often do. Measured on the generated set (docs/benchmarks.md): a card look-up returns
 * under 1 % of a tenant's cards of one layout; portraits, alike at 32×32, far more — a face
 * index (Rekognition collections where they exist) is the better tool there.
 */
export const HASH_BANDS = 4;

/**
 * The band keys of a 16-hex-digit (64-bit) hash: `<band index>:<the band's bits in hex>`.
 * Bits are dealt out in turn (bit i to band i mod 4), not in runs: the lowest frequencies,
 * which cards of one layout share, would otherwise fill the first bands and make every card
 * of that layout a candidate of every other.
 */
export function hashBands(hash: string): string[] {
  const bits = BigInt(`0x${hash}`);
  const bands = Array.from({ length: HASH_BANDS }, () => 0n);
  for (let i = 0; i < 64; i++) {
    const b = i % HASH_BANDS;
    bands[b] = ((bands[b] as bigint) << 1n) | ((bits >> BigInt(63 - i)) & 1n);
  }
  return bands.map((band, i) => `${i}:${band.toString(16)}`);
}

export interface IndexedHash {
  personId: string;
  certificateId: string;
  hash: string;
  /** Where the image's detail prints are kept (absent on images indexed before prints were). */
  imageRef?: string;
}

/** The other people's images within the reuse distance, nearest first. */
export function reuseMatches(
  candidates: readonly IndexedHash[],
  hash: string,
  personId: string,
  distance: (a: string, b: string) => number,
  within: number,
): (IndexedHash & { distance: number })[] {
  const seen = new Set<string>();
  return candidates
    .filter((c) => c.personId !== personId)
    .map((c) => ({ ...c, distance: distance(c.hash, hash) }))
    .filter((c) => c.distance <= within)
    .sort((a, b) => a.distance - b.distance)
    .filter((c) => {
      const key = `${c.personId}/${c.certificateId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * A hash within the reuse distance is only a suspicion: different people's ID photos on one
 * backdrop, or two cards of one layout, come that close (finding 7: an honest worker was
 * locked at distance 4). The full comparison of the two regions' detail prints decides:
 * from `confirm` the reuse counts, from `sure` it is certain. Measured (docs/benchmarks.md):
 * the same card photographed again (shifted, rescaled ±2 %, re-saved) 0.47–0.86, other
 * cards of a layout whose printed labels fill much of the card up to 0.64 — so a card
 * counts only from 0.65, and a reuse below it goes unflagged rather than lock an honest
 * worker; a pasted portrait 0.99–1.00 against other ID photos' 0.80 at most.
 */
export const REUSE_CONFIRM = {
  card: { confirm: 0.65, sure: 0.75 },
  photo: { confirm: 0.9, sure: 0.95 },
} as const;

/** Confidence of a reuse from the full comparison: none below `confirm`, 0.75 there, 1 from `sure`. */
export function confirmedReuseConfidence(kind: 'card' | 'photo', similarity: number): number | undefined {
  const { confirm, sure } = REUSE_CONFIRM[kind];
  if (!(similarity >= confirm)) return undefined;
  return Math.min(1, 0.75 + (0.25 * (similarity - confirm)) / (sure - confirm));
}

// ---- metadata ------------------------------------------------------------------------

const EDITORS =
  /photoshop|gimp|paint\.net|pixelmator|affinity|picsart|snapseed|meitu|美图|醒图|canva|lightroom|illustrator|coreldraw|acdsee/i;

export interface ImageMetadata {
  isJpeg: boolean;
  software?: string;
  make?: string;
  model?: string;
  /** ISO times, as read. */
  takenAt?: string;
  modifiedAt?: string;
}

export function metadataSignals(m: ImageMetadata): Signal[] {
  const signals: Signal[] = [];
  if (m.software && EDITORS.test(m.software))
    signals.push({
      code: 'editing_software',
      confidence: 1,
      detail: { software: truncateText(m.software, 60) },
    });
  // A phone photo carries its camera; a JPEG without one was exported by something else
  // (a messaging app strips it too: weak on its own).
  if (m.isJpeg && !m.make && !m.model) signals.push({ code: 'no_camera_metadata', confidence: 1 });
  if (m.takenAt && m.modifiedAt) {
    const hours = (Date.parse(m.modifiedAt) - Date.parse(m.takenAt)) / 3_600_000;
    if (hours > 1)
      signals.push({
        code: 'edited_after_capture',
        confidence: Math.min(1, hours / 24),
        detail: { hours: Math.round(hours) },
      });
  }
  return signals;
}

// ---- pixel measurements to signals ----------------------------------------------------

/**
 * Error level (JPEG ghost): a group of 8×8 blocks off the lattice of the image's first
 * compression is a region pasted in later. Calibrated on the calibration split of the
 * held-out generator (docs/benchmarks.md): honest photos, saved once or forwarded, show at
 * most 1 such block; a pasted line of text 6–90. From 6 blocks it counts, from 16 it is certain.
 */
export const ERROR_LEVEL_BLOCKS = { from: 6, certain: 16 } as const;

export function errorLevelSignal(undipped: number, worst?: Region): Signal | undefined {
  if (undipped < ERROR_LEVEL_BLOCKS.from) return undefined;
  return {
    code: 'error_level_inconsistent',
    confidence: Math.min(1, undipped / ERROR_LEVEL_BLOCKS.certain),
    detail: {
      blocks: undipped,
      ...(worst
        ? {
            x: Math.round(worst.x * 100),
            y: Math.round(worst.y * 100),
            w: Math.round(worst.w * 100),
            h: Math.round(worst.h * 100),
          }
        : {}),
    },
  };
}

/**
 * Lighting: the portrait lit from a direction more than 60° from the paper's own light
 * falloff. The paper's gradient is faint (a card is flat), the portrait's strong: each has
 * its own floor below which the direction means nothing.
 */
export function lightingSignal(
  photo: { angle: number; strength: number; coherence: number },
  card: { angle: number; strength: number },
  angleBetween: (a: number, b: number) => number,
): Signal | undefined {
  // A portrait's shading agrees with itself (coherence ≥ 0.2 measured on lit faces); a
  // pattern of edges (a QR code, text) does not, and says nothing about light.
  if (photo.strength < 0.3 || photo.coherence < 0.2 || card.strength < 0.05) return undefined;
  const difference = angleBetween(photo.angle, card.angle);
  if (difference <= 60) return undefined;
  return {
    code: 'lighting_inconsistent',
    confidence: Math.min(1, (difference - 60) / 30),
    detail: { degrees: Math.round(difference) },
  };
}

/** Flash: a seal that gains like the paper and shows no highlight is likely printed. */
export function flashSignal(r: {
  sealPixels: number;
  sealGain: number;
  paperGain: number;
  sealHighlights: number;
}): Signal | undefined {
  // Too few seal pixels found to say anything.
  if (r.sealPixels < 200) return undefined;
  const likePaper = Math.abs(r.sealGain - r.paperGain) / r.paperGain;
  if (likePaper > 0.15 || r.sealHighlights > 0.02) return undefined;
  return {
    code: 'seal_flat_under_flash',
    confidence: Math.min(1, (0.15 - likePaper) / 0.1),
    detail: { sealGain: Math.round(r.sealGain * 100) / 100, paperGain: Math.round(r.paperGain * 100) / 100 },
  };
}

// ---- resampling --------------------------------------------------------------------------

/** Below this frequency the spectrum holds the picture's own structure (stripes, edges), not a period. */
const MIN_RESAMPLING_FREQUENCY = 0.1;
/** A peak this many times the median bin: measured clean cards stay under 6, 2× enlargements reach 15–30. */
const RESAMPLING_PEAK = 9;

/** JPEG's 8-pixel grid repeats at k/8 cycles per pixel; 4/8 is kept (measured weak, and a 2× enlargement lives there). */
const onJpegGrid = (f: number, binWidth: number) =>
  [1, 2, 3].some((k) => Math.abs(f - k / 8) < 1.5 * binWidth);

export interface SpectrumPair {
  frequencies: number[];
  strengths: number[];
}

/** The strongest periodic peak of a region, JPEG grid and low frequencies left out. */
export function resamplingPeak(axes: readonly SpectrumPair[]): { frequency: number; strength: number } {
  let best = { frequency: 0, strength: 0 };
  for (const { frequencies, strengths } of axes) {
    const binWidth = frequencies[0] ?? 0;
    frequencies.forEach((f, i) => {
      const s = strengths[i] as number;
      if (f < MIN_RESAMPLING_FREQUENCY || onJpegGrid(f, binWidth) || s <= best.strength) return;
      best = { frequency: f, strength: s };
    });
  }
  return best;
}

/** A spectrum's strength at (the bin nearest to) a frequency, the stronger of the axes. */
export function strengthAt(axes: readonly SpectrumPair[], frequency: number): number {
  let strongest = 0;
  for (const { frequencies, strengths } of axes) {
    const binWidth = frequencies[0] ?? 1;
    const i = Math.min(frequencies.length - 1, Math.max(0, Math.round(frequency / binWidth) - 1));
    strongest = Math.max(strongest, strengths[i] ?? 0);
  }
  return strongest;
}

/**
 * Resampling: the holder's photo shows an interpolation period (it was enlarged into the
 * card) that the rest of the card does not — twice as strong at least, so a camera's own
 * processing, which marks the whole image alike, does not count.
 */
export function resamplingSignal(
  photo: { frequency: number; strength: number },
  cardStrengthAtSameFrequency: number,
): Signal | undefined {
  if (photo.strength < RESAMPLING_PEAK) return undefined;
  if (photo.strength < 2 * cardStrengthAtSameFrequency) return undefined;
  return {
    code: 'photo_resampled',
    // Sure from 11 on: nearly twice the strongest peak measured on a clean card.
    confidence: Math.min(1, (photo.strength - 6) / 5),
    detail: {
      period: Math.round((1 / photo.frequency) * 100) / 100,
      strength: Math.round(photo.strength * 10) / 10,
    },
  };
}
