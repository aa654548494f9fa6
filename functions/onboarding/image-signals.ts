// Measurements on a certificate photo for the forgery analysis (SPEC O3), as functions of
// pixels: a perceptual hash (reuse), error level (regions with another compression history),
// the lighting direction (holder's photo vs the card) and the seal's answer to a flash.
// Decoding and re-encoding are the libraries' (pngjs, jpeg-js: pure JS, so the Lambda
// bundle carries no native binary); what is computed on the pixels is here, small and tested.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

/** A gray image, one float per pixel (0–255). */
export interface GrayImage {
  width: number;
  height: number;
  data: Float64Array;
}

/** Fractions (0–1) of the image's width and height. */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MAX_PIXELS = 40_000_000;

export function decodeImage(bytes: Buffer): RgbaImage | undefined {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: png.data };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8)
      return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6 });
  } catch {
    // Unreadable: no measurement, and the analysis says so.
  }
  return undefined;
}

export const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8;

export function toGray(img: RgbaImage): GrayImage {
  const data = new Float64Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) {
    const o = i * 4;
    data[i] =
      0.299 * (img.data[o] as number) +
      0.587 * (img.data[o + 1] as number) +
      0.114 * (img.data[o + 2] as number);
  }
  return { width: img.width, height: img.height, data };
}

/** The part of a gray image inside a region. */
export function crop(img: GrayImage, r: Region): GrayImage {
  const x0 = Math.floor(r.x * img.width);
  const y0 = Math.floor(r.y * img.height);
  const width = Math.max(1, Math.floor(r.w * img.width));
  const height = Math.max(1, Math.floor(r.h * img.height));
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = img.data[(y0 + y) * img.width + x0 + x] as number;
  return { width, height, data };
}

/** Box-filter downscale to w×h (each target pixel the mean of its source area). */
export function resize(img: GrayImage, width: number, height: number): GrayImage {
  const data = new Float64Array(width * height);
  for (let ty = 0; ty < height; ty++) {
    const sy0 = Math.floor((ty * img.height) / height);
    const sy1 = Math.max(sy0 + 1, Math.floor(((ty + 1) * img.height) / height));
    for (let tx = 0; tx < width; tx++) {
      const sx0 = Math.floor((tx * img.width) / width);
      const sx1 = Math.max(sx0 + 1, Math.floor(((tx + 1) * img.width) / width));
      let sum = 0;
      for (let y = sy0; y < sy1; y++)
        for (let x = sx0; x < sx1; x++) sum += img.data[y * img.width + x] as number;
      data[ty * width + tx] = sum / ((sy1 - sy0) * (sx1 - sx0));
    }
  }
  return { width, height, data };
}

const N = 32;
const COS = Array.from({ length: N }, (_, k) =>
  Array.from({ length: N }, (_, n) => Math.cos(((2 * n + 1) * k * Math.PI) / (2 * N))),
);

/**
 * The DCT perceptual hash (pHash): the image at 32×32, its 8×8 lowest frequencies, one bit
 * per coefficient above their median. Recompression, resizing and small crops move few
 * bits; another card moves about half. 16 hex digits.
 */
export function perceptualHash(img: GrayImage): string {
  const small = resize(img, N, N).data;
  const coeffs: number[] = [];
  for (let u = 0; u < 8; u++)
    for (let v = 0; v < 8; v++) {
      let sum = 0;
      for (let y = 0; y < N; y++) {
        const cu = COS[u]?.[y] as number;
        for (let x = 0; x < N; x++) sum += cu * (COS[v]?.[x] as number) * (small[y * N + x] as number);
      }
      coeffs.push(sum);
    }
  // The DC term says only how bright the image is: left out of the median.
  const median = [...coeffs.slice(1)].sort((a, b) => a - b)[31] as number;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | ((coeffs[i + b] as number) > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** How many of the 64 bits differ. */
export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    let x = Number.parseInt(a[i] as string, 16) ^ Number.parseInt(b[i] as string, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

export interface ErrorLevel {
  /** The quality the image was last compressed at, as its "ghost" shows (0: none found). */
  ghostQuality: number;
  /** 16×16 blocks with enough detail to measure. */
  informative: number;
  /** Of those, blocks that do not dip at the ghost quality: another compression history. */
  undipped: number;
  /** Where they are (fractions of the image), for the reviewer. */
  worst?: Region;
}

const BLOCK = 16;
const GHOST_QUALITIES = [60, 65, 70, 75, 80, 85, 90];
/** Mean squared error below which a block is too flat to say anything. */
const INFORMATIVE_MSE = 4;
/** A block's error at the ghost quality, relative to its mean over all qualities, above which it did not dip. */
const UNDIPPED = 0.25;
/** Analysed at most this many pixels each way (a crop on the 8-pixel grid keeps the JPEG blocks aligned). */
const MAX_SIDE = 1536;

/**
 * JPEG ghosts (Farid, 2009): recompressing an image at the quality it was saved at changes
 * almost nothing, so every block's error dips at that quality. A region pasted in from
 * elsewhere (new text, another photo) did not go through that compression and does not
 * dip. Counting the blocks that do not dip, among those with detail, is the signal; a
 * clean photo saved once or several times over dips everywhere.
 */
export function errorLevel(full: RgbaImage): ErrorLevel {
  const img = centreCrop(full);
  const bw = Math.floor(img.width / BLOCK);
  const bh = Math.floor(img.height / BLOCK);
  const per = GHOST_QUALITIES.map((quality) => {
    const again = jpeg.decode(
      jpeg.encode({ data: img.data, width: img.width, height: img.height }, quality).data,
      {
        useTArray: true,
        formatAsRGBA: true,
      },
    );
    const blocks: number[] = [];
    for (let by = 0; by < bh; by++)
      for (let bx = 0; bx < bw; bx++) {
        let sum = 0;
        for (let y = by * BLOCK; y < (by + 1) * BLOCK; y++)
          for (let x = bx * BLOCK; x < (bx + 1) * BLOCK; x++) {
            const o = (y * img.width + x) * 4;
            for (let c = 0; c < 3; c++)
              sum += ((img.data[o + c] as number) - (again.data[o + c] as number)) ** 2;
          }
        blocks.push(sum / (BLOCK * BLOCK * 3));
      }
    return blocks;
  });
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
  const medians = per.map(median);
  const ghost = medians.indexOf(Math.min(...medians));
  const ratios: { block: number; d: number }[] = [];
  for (let b = 0; b < bw * bh; b++) {
    const mean = per.reduce((sum, p) => sum + (p[b] as number), 0) / per.length;
    if (mean > INFORMATIVE_MSE) ratios.push({ block: b, d: (per[ghost]?.[b] as number) / mean });
  }
  // No dip in most blocks: no ghost to compare against (never a JPEG before, or resized since).
  if (!ratios.length || median(ratios.map((r) => r.d)) > 0.1)
    return { ghostQuality: 0, informative: ratios.length, undipped: 0 };
  const undipped = ratios.filter((r) => r.d > UNDIPPED).map((r) => r.block);
  const xs = undipped.map((b) => b % bw);
  const ys = undipped.map((b) => Math.floor(b / bw));
  return {
    ghostQuality: GHOST_QUALITIES[ghost] as number,
    informative: ratios.length,
    undipped: undipped.length,
    ...(undipped.length
      ? {
          worst: {
            x: (Math.min(...xs) * BLOCK) / img.width,
            y: (Math.min(...ys) * BLOCK) / img.height,
            w: ((Math.max(...xs) - Math.min(...xs) + 1) * BLOCK) / img.width,
            h: ((Math.max(...ys) - Math.min(...ys) + 1) * BLOCK) / img.height,
          },
        }
      : {}),
  };
}

function centreCrop(img: RgbaImage): RgbaImage {
  if (img.width <= MAX_SIDE && img.height <= MAX_SIDE) return img;
  const width = Math.min(img.width, MAX_SIDE);
  const height = Math.min(img.height, MAX_SIDE);
  const x0 = Math.floor((img.width - width) / 16) * 8;
  const y0 = Math.floor((img.height - height) / 16) * 8;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    data.set(
      img.data.subarray(((y0 + y) * img.width + x0) * 4, ((y0 + y) * img.width + x0 + width) * 4),
      y * width * 4,
    );
  return { width, height, data };
}

/**
 * The dominant direction light falls from in a region: the mean brightness gradient
 * (Sobel) of the region shrunk to 32 pixels wide, so that strokes and edges average out and
 * the shading remains. Angle in degrees (0 = brighter to the right, 90 = brighter below),
 * strength (the mean gradient along it) and coherence (0–1: how much the gradients agree;
 * a pattern of edges — text, a QR code — points everywhere and cancels out).
 */
export function lightingDirection(region: GrayImage): { angle: number; strength: number; coherence: number } {
  const width = Math.min(32, region.width);
  const img = resize(region, width, Math.max(3, Math.round((region.height * width) / region.width)));
  let gx = 0;
  let gy = 0;
  let magnitude = 0;
  const p = (x: number, y: number) => img.data[y * img.width + x] as number;
  for (let y = 1; y < img.height - 1; y++)
    for (let x = 1; x < img.width - 1; x++) {
      const dx =
        p(x + 1, y - 1) +
        2 * p(x + 1, y) +
        p(x + 1, y + 1) -
        p(x - 1, y - 1) -
        2 * p(x - 1, y) -
        p(x - 1, y + 1);
      const dy =
        p(x - 1, y + 1) +
        2 * p(x, y + 1) +
        p(x + 1, y + 1) -
        p(x - 1, y - 1) -
        2 * p(x, y - 1) -
        p(x + 1, y - 1);
      gx += dx;
      gy += dy;
      magnitude += Math.hypot(dx, dy);
    }
  const n = Math.max(1, (img.width - 2) * (img.height - 2));
  const net = Math.hypot(gx, gy);
  return {
    angle: (Math.atan2(gy, gx) * 180) / Math.PI,
    strength: net / n / 8,
    coherence: magnitude ? net / magnitude : 0,
  };
}

/** The smaller angle between two directions, in degrees (0–180). */
export const angleBetween = (a: number, b: number) => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

export interface FlashResponse {
  /** Pixels of the seal (red ink) found in the photo without flash. */
  sealPixels: number;
  /** Brightness gain under the flash: of the seal, of the plain paper. */
  sealGain: number;
  paperGain: number;
  /** Share of seal pixels the flash drove to a highlight (glossy ink reflects). */
  sealHighlights: number;
}

/**
 * How the seal answers a phone's flash, from two photos of the same card (without, with).
 * Stamp ink lies on the paper and reflects the flash as highlights, unevenly; a printed copy
 * of a seal is toner in the paper and brightens like the paper around it.
 */
export function flashResponse(noFlash: RgbaImage, flash: RgbaImage): FlashResponse | undefined {
  if (noFlash.width !== flash.width || noFlash.height !== flash.height) return undefined;
  let seal = 0;
  let paper = 0;
  let sealBefore = 0;
  let sealAfter = 0;
  let paperBefore = 0;
  let paperAfter = 0;
  let highlights = 0;
  for (let o = 0; o < noFlash.data.length; o += 4) {
    const [r, g, b] = [
      noFlash.data[o] as number,
      noFlash.data[o + 1] as number,
      noFlash.data[o + 2] as number,
    ];
    const before = (r + g + b) / 3;
    const after =
      ((flash.data[o] as number) + (flash.data[o + 1] as number) + (flash.data[o + 2] as number)) / 3;
    if (r > 110 && r > 1.6 * g && r > 1.6 * b) {
      seal += 1;
      sealBefore += before;
      sealAfter += after;
      if (after > 235) highlights += 1;
    } else if (before > 170 && Math.max(r, g, b) - Math.min(r, g, b) < 30) {
      paper += 1;
      paperBefore += before;
      paperAfter += after;
    }
  }
  if (!seal || !paper) return undefined;
  return {
    sealPixels: seal,
    sealGain: sealAfter / Math.max(1, sealBefore),
    paperGain: paperAfter / Math.max(1, paperBefore),
    sealHighlights: highlights / seal,
  };
}

/** One axis's periodic spectrum of second differences: strength per normalized frequency. */
export interface PeriodicSpectrum {
  /** Cycles per pixel (0–0.5), one entry per DFT bin. */
  frequencies: number[];
  /** Each bin's magnitude over the median bin's: how far it stands out of the noise. */
  strengths: number[];
}

/**
 * Traces of resampling (Gallagher 2005): a region enlarged by interpolation has pixels that
 * are averages of their neighbours at regular places, so the mean size of the second
 * difference along an axis repeats with the interpolation's period, and its spectrum shows a
 * peak at 1/period. A photo captured with the card has no such period; JPEG's 8-pixel grid
 * has one, and is left out by the caller. Mean over rows (axis x) or over columns (axis y).
 */
export function secondDifferenceSpectrum(img: GrayImage, axis: 'x' | 'y'): PeriodicSpectrum {
  const n = axis === 'x' ? img.width : img.height;
  const m = axis === 'x' ? img.height : img.width;
  const at =
    axis === 'x'
      ? (i: number, j: number) => img.data[j * img.width + i] as number
      : (i: number, j: number) => img.data[i * img.width + j] as number;
  const profile: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += Math.abs(at(i - 1, j) - 2 * at(i, j) + at(i + 1, j));
    profile.push(sum / m);
  }
  const len = profile.length;
  const mean = profile.reduce((a, b) => a + b, 0) / Math.max(1, len);
  const magnitudes: number[] = [];
  const frequencies: number[] = [];
  for (let f = 1; f <= len / 2; f++) {
    let re = 0;
    let im = 0;
    for (let k = 0; k < len; k++) {
      const angle = (2 * Math.PI * f * k) / len;
      re += ((profile[k] as number) - mean) * Math.cos(angle);
      im -= ((profile[k] as number) - mean) * Math.sin(angle);
    }
    magnitudes.push(Math.hypot(re, im));
    frequencies.push(f / len);
  }
  const sorted = [...magnitudes].sort((a, b) => a - b);
  const median = Math.max(1e-9, sorted[Math.floor(sorted.length / 2)] ?? 0);
  return { frequencies, strengths: magnitudes.map((v) => v / median) };
}
