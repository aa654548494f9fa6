// The labelled set the forgery analysis is measured on (tests and `npm run bench`): for
// each seed, a clean photo, one recompressed three times, one with pasted text, a card
// reused by a second person, a photo swapped in from another person's card, a photo enlarged
// into the slot from a smaller picture, a portrait lit
// from the other side, and a seal photographed with the flash (real ink, printed copy).
// Reuse cases need the original indexed first: `indexed` lists, per case, what the tenant
// already holds when the case is analysed.
import { hashBands, type IndexedHash, type Signal } from '../../functions/onboarding/forgery.ts';
import {
  type ImagePrints,
  type Measured,
  measureImage,
  reuseSignals,
} from '../../functions/onboarding/forgery-analysis.ts';
import {
  cleanPhoto,
  flashPhoto,
  pastedText,
  photoSwapped,
  recompressed,
  relitPhoto,
  resampledPhoto,
  reusedCard,
} from './forgery-images.ts';

export type CaseKind =
  | 'clean'
  | 'recompressed'
  | 'flash_real_seal'
  | 'pasted_text'
  | 'reused_card'
  | 'photo_swapped'
  | 'relit_photo'
  | 'resampled_photo'
  | 'flash_printed_seal';

export interface LabelledCase {
  kind: CaseKind;
  forged: boolean;
  personId: string;
  image: Buffer;
  flash?: Buffer;
  /** Images of other people the tenant holds before this case (their owner, their bytes). */
  indexed: { personId: string; image: Buffer }[];
}

export function labelledSet(seeds: number[]): LabelledCase[] {
  return seeds.flatMap((k) => {
    const original = { personId: `per_${k}`, image: cleanPhoto(k) };
    return [
      { kind: 'clean', forged: false, ...original, indexed: [] },
      {
        kind: 'recompressed',
        forged: false,
        personId: `per_${k}_r`,
        image: recompressed(k + 1000),
        indexed: [original],
      },
      {
        kind: 'flash_real_seal',
        forged: false,
        personId: `per_${k}_f`,
        image: cleanPhoto(k + 5000),
        flash: flashPhoto(k + 5000, false),
        indexed: [original],
      },
      {
        kind: 'pasted_text',
        forged: true,
        personId: `per_${k}_p`,
        image: pastedText(k + 2000),
        indexed: [original],
      },
      {
        kind: 'reused_card',
        forged: true,
        personId: `per_${k}_x`,
        image: reusedCard(k),
        indexed: [original],
      },
      {
        kind: 'photo_swapped',
        forged: true,
        personId: `per_${k}_s`,
        image: photoSwapped(k + 3000, k),
        indexed: [original],
      },
      {
        kind: 'relit_photo',
        forged: true,
        personId: `per_${k}_l`,
        image: relitPhoto(k + 4000),
        indexed: [original],
      },
      {
        // Enlarged 2× or 3× (alternating seeds): the small pictures a forger finds.
        kind: 'resampled_photo',
        forged: true,
        personId: `per_${k}_e`,
        image: resampledPhoto(k + 7000, k + 8000, k % 2 ? 2 : 3),
        indexed: [original],
      },
      {
        kind: 'flash_printed_seal',
        forged: true,
        personId: `per_${k}_c`,
        image: cleanPhoto(k + 6000),
        flash: flashPhoto(k + 6000, true),
        indexed: [original],
      },
    ] satisfies LabelledCase[];
  });
}

/**
 * The analysis as the onboarding step runs it, against an in-memory index of what the
 * tenant holds: the image's own signals, then reuse through the full comparison. `banded`
 * keeps only candidates sharing a band (what the DynamoDB index returns).
 */
export async function analyseCase(
  c: { personId: string; image: Buffer; flash?: Buffer; indexed: { personId: string; image: Buffer }[] },
  options: { banded?: boolean; index?: Map<Buffer, Measured> } = {},
): Promise<{ measured: Measured; reuse: Signal[]; signals: Signal[] }> {
  const measured = await measureImage(c.image, c.flash);
  const prints = new Map<string, ImagePrints>();
  const candidates = { card: [] as IndexedHash[], photo: [] as IndexedHash[] };
  for (const [i, o] of c.indexed.entries()) {
    const known = options.index?.get(o.image) ?? (await measureImage(o.image));
    options.index?.set(o.image, known);
    if (!known.hashes || !known.prints) continue;
    const imageRef = `c${i}`;
    prints.set(imageRef, known.prints);
    for (const kind of ['card', 'photo'] as const)
      candidates[kind].push({
        personId: o.personId,
        certificateId: `c${i}`,
        hash: known.hashes[kind],
        imageRef,
      });
  }
  const hashes = measured.hashes;
  if (!hashes || !measured.prints) return { measured, reuse: [], signals: measured.signals };
  const shares = (a: string, b: string) => hashBands(a).some((band) => hashBands(b).includes(band));
  const looked = options.banded
    ? {
        card: candidates.card.filter((o) => shares(o.hash, hashes.card)),
        photo: candidates.photo.filter((o) => shares(o.hash, hashes.photo)),
      }
    : candidates;
  const reuse = await reuseSignals({ hashes, prints: measured.prints }, c.personId, looked, async (o) =>
    o.imageRef ? prints.get(o.imageRef) : undefined,
  );
  return { measured, reuse, signals: [...measured.signals, ...reuse] };
}
