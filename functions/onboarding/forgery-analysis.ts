// Measures a certificate image (and, when given, a second photo with the flash on) into
// the signals forgery.ts scores. No I/O: the caller brings the bytes and the reuse
// candidates its index found. EXIF through exifr (pure JS, reads only the header).
import exifr from 'exifr';
import {
  CARD_REGION,
  confirmedReuseConfidence,
  errorLevelSignal,
  flashSignal,
  type ImageMetadata,
  type IndexedHash,
  lightingSignal,
  metadataSignals,
  PHOTO_REGION,
  REUSE_DISTANCE,
  resamplingPeak,
  resamplingSignal,
  reuseMatches,
  type Signal,
  strengthAt,
} from './forgery.ts';
import {
  angleBetween,
  crop,
  decodeImage,
  detailPrint,
  errorLevel,
  flashResponse,
  hammingDistance,
  isJpeg,
  lightingDirection,
  perceptualHash,
  printSimilarity,
  type RgbaImage,
  secondDifferenceSpectrum,
  toGray,
} from './image-signals.ts';

export interface ImageHashes {
  card: string;
  photo: string;
}

/** The regions' detail prints (image-signals.ts), for the full comparison of a suspected reuse. */
export interface ImagePrints {
  card: Int8Array;
  photo: Int8Array;
}

export interface Measured {
  readable: boolean;
  hashes?: ImageHashes;
  prints?: ImagePrints;
  /** Signals from the image alone (metadata, error level, lighting, resampling, flash). */
  signals: Signal[];
}

async function metadata(bytes: Buffer): Promise<ImageMetadata> {
  const jpegFile = isJpeg(bytes);
  try {
    const tags = (await exifr.parse(bytes, {
      pick: ['Make', 'Model', 'Software', 'DateTimeOriginal', 'ModifyDate'],
      reviveValues: true,
    })) as Record<string, unknown> | undefined;
    const iso = (v: unknown) =>
      v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : undefined;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const m: ImageMetadata = { isJpeg: jpegFile };
    const software = text(tags?.Software);
    const make = text(tags?.Make);
    const model = text(tags?.Model);
    const takenAt = iso(tags?.DateTimeOriginal);
    const modifiedAt = iso(tags?.ModifyDate);
    return {
      ...m,
      ...(software ? { software } : {}),
      ...(make ? { make } : {}),
      ...(model ? { model } : {}),
      ...(takenAt ? { takenAt } : {}),
      ...(modifiedAt ? { modifiedAt } : {}),
    };
  } catch {
    // No or broken EXIF: as if none.
    return { isJpeg: jpegFile };
  }
}

/**
 * Everything the image itself says; hashes for the reuse look-up. `decoded`: the pixels,
 * when the caller has decoded the image already (the document step reads its QR code too).
 */
export async function measureImage(
  bytes: Buffer,
  flashBytes?: Buffer,
  decoded: RgbaImage | undefined = decodeImage(bytes),
): Promise<Measured> {
  const image = decoded;
  if (!image) return { readable: false, signals: [] };
  const gray = toGray(image);
  const signals: Signal[] = [...metadataSignals(await metadata(bytes))];
  // Error level means something only for a JPEG: a PNG was never lossily compressed.
  if (isJpeg(bytes)) {
    const ela = errorLevel(image);
    const s = errorLevelSignal(ela.undipped, ela.worst);
    if (s) signals.push(s);
  }
  const photo = crop(gray, PHOTO_REGION);
  const card = crop(gray, CARD_REGION);
  const light = lightingSignal(lightingDirection(photo), lightingDirection(card), angleBetween);
  if (light) signals.push(light);
  const spectra = (region: typeof photo) =>
    (['x', 'y'] as const).map((axis) => secondDifferenceSpectrum(region, axis));
  const peak = resamplingPeak(spectra(photo));
  const resampled = resamplingSignal(peak, strengthAt(spectra(card), peak.frequency));
  if (resampled) signals.push(resampled);
  if (flashBytes) {
    const flash = decodeImage(flashBytes);
    const response = flash ? flashResponse(image, flash) : undefined;
    const s = response ? flashSignal(response) : undefined;
    if (s) signals.push(s);
  }
  const cardArea = crop(gray, CARD_REGION);
  return {
    readable: true,
    hashes: { card: perceptualHash(cardArea), photo: perceptualHash(photo) },
    prints: { card: detailPrint(cardArea), photo: detailPrint(photo) },
    signals,
  };
}

/** Nearest hash matches compared in full, per kind, before giving up: a look-alike may be nearer than the copy. */
const FULL_COMPARISONS = 4;
/** A card is photographed again (compared tile by tile); a portrait is copied digitally (whole). */
export const COMPARISON_TILES = { card: 4, photo: 1 } as const;

/**
 * Reuse signals from the candidates the band index returned for each hash. A hash within
 * the reuse distance is a suspicion only: the nearest few are compared in full (their detail
 * prints, fetched through `printsOf`), and only a confirmed one is a signal. A candidate
 * whose prints are gone (or were never kept) confirms nothing.
 */
export async function reuseSignals(
  measured: { hashes: ImageHashes; prints: ImagePrints },
  personId: string,
  candidates: { card: IndexedHash[]; photo: IndexedHash[] },
  printsOf: (candidate: IndexedHash) => Promise<ImagePrints | undefined>,
): Promise<Signal[]> {
  const signals: Signal[] = [];
  for (const kind of ['card', 'photo'] as const) {
    const matches = reuseMatches(
      candidates[kind],
      measured.hashes[kind],
      personId,
      hammingDistance,
      REUSE_DISTANCE[kind],
    ).slice(0, FULL_COMPARISONS);
    for (const match of matches) {
      const prints = await printsOf(match);
      if (!prints) continue;
      const similarity = printSimilarity(measured.prints[kind], prints[kind], COMPARISON_TILES[kind]);
      const confidence = confirmedReuseConfidence(kind, similarity);
      if (confidence === undefined) continue;
      signals.push({
        code: kind === 'card' ? 'card_reused' : 'photo_reused',
        confidence,
        detail: {
          personId: match.personId,
          certificateId: match.certificateId,
          distance: match.distance,
          similarity: Math.round(similarity * 100) / 100,
        },
      });
      break;
    }
  }
  return signals;
}
