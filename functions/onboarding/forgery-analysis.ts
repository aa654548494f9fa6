// Measures a certificate image (and, when given, a second photo with the flash on) into
// the signals forgery.ts scores. No I/O: the caller brings the bytes and the reuse
// candidates its index found. EXIF through exifr (pure JS, reads only the header).
import exifr from 'exifr';
import {
  CARD_REGION,
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
  reuseConfidence,
  reuseMatches,
  type Signal,
  strengthAt,
} from './forgery.ts';
import {
  angleBetween,
  crop,
  decodeImage,
  errorLevel,
  flashResponse,
  hammingDistance,
  isJpeg,
  lightingDirection,
  perceptualHash,
  type RgbaImage,
  secondDifferenceSpectrum,
  toGray,
} from './image-signals.ts';

export interface ImageHashes {
  card: string;
  photo: string;
}

export interface Measured {
  readable: boolean;
  hashes?: ImageHashes;
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
  return {
    readable: true,
    hashes: { card: perceptualHash(crop(gray, CARD_REGION)), photo: perceptualHash(photo) },
    signals,
  };
}

/** Reuse signals from the candidates the band index returned for each hash. */
export function reuseSignals(
  hashes: ImageHashes,
  personId: string,
  candidates: { card: IndexedHash[]; photo: IndexedHash[] },
): Signal[] {
  const signals: Signal[] = [];
  const card = reuseMatches(candidates.card, hashes.card, personId, hammingDistance, REUSE_DISTANCE.card)[0];
  if (card)
    signals.push({
      code: 'card_reused',
      confidence: reuseConfidence(card.distance, REUSE_DISTANCE.card),
      detail: { personId: card.personId, certificateId: card.certificateId, distance: card.distance },
    });
  const photo = reuseMatches(
    candidates.photo,
    hashes.photo,
    personId,
    hammingDistance,
    REUSE_DISTANCE.photo,
  )[0];
  if (photo)
    signals.push({
      code: 'photo_reused',
      confidence: reuseConfidence(photo.distance, REUSE_DISTANCE.photo),
      detail: { personId: photo.personId, certificateId: photo.certificateId, distance: photo.distance },
    });
  return signals;
}
