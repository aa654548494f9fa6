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
  /** The lowest quality the image was compressed at, as its ghost shows (0: none found). */
  ghostQuality: number;
  /** 8×8 blocks with enough non-zero coefficients at that quality to measure. */
  informative: number;
  /** The largest group of blocks that are not on that quality's lattice: another history. */
  undipped: number;
  /** Where that group is (fractions of the image), for the reviewer. */
  worst?: Region;
}

/** libjpeg's (IJG) luminance table at quality 50, row-major: editors and most phones scale it. */
const IJG_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** The IJG luminance quantization table at a quality (1–100), as libjpeg and jpeg-js scale it. */
export function ijgLumaTable(quality: number): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - 2 * quality;
  return IJG_LUMA.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

/** Qualities searched for the first compression. */
const GHOST_QUALITIES = Array.from({ length: 48 }, (_, i) => 50 + i);
/** A block's quantization residual over what unrelated values would leave, below which the image "dips". */
const IMAGE_DIP = 0.3;
/** …and above which a block did not go through that compression. */
const UNDIPPED = 0.6;
/**
 * Steps finer than this are left out: at 1–2 grey levels the rounding of a decoded photo's
 * pixels is as large as the lattice, and honest photos saved at 90+ showed false groups.
 */
const MIN_STEP = 3;
/** Coefficients a block needs that survive the quantization (|c| ≥ step/2) to say anything. */
const MIN_COEFFICIENTS = 4;
/** Undipped blocks this many blocks apart or closer form one group (glyphs of a line are). */
const GROUP_REACH = 2;
/** Analysed at most this many pixels each way (a crop on the 8-pixel grid keeps the JPEG blocks aligned). */
const MAX_SIDE = 1536;

const DCT_COS = Array.from({ length: 8 }, (_, u) =>
  Array.from(
    { length: 8 },
    (_, x) => (Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1)) / 2,
  ),
);

/**
 * The luminance DCT of every 8×8 block on the JPEG grid (64 coefficients each, as JPEG
 * quantizes them) and which blocks hold a clipped pixel (0 or 255 in a channel: clipping
 * moves a block off any quantization lattice, so it says nothing).
 */
export function lumaBlocks(img: RgbaImage): {
  bw: number;
  bh: number;
  dct: Float64Array;
  clipped: Uint8Array;
} {
  const bw = Math.floor(img.width / 8);
  const bh = Math.floor(img.height / 8);
  const dct = new Float64Array(bw * bh * 64);
  const clipped = new Uint8Array(bw * bh);
  const block = new Float64Array(64);
  const rows = new Float64Array(64);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      const b = by * bw + bx;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const o = ((by * 8 + y) * img.width + bx * 8 + x) * 4;
          const [r, g, bl] = [img.data[o] as number, img.data[o + 1] as number, img.data[o + 2] as number];
          if (r === 0 || r === 255 || g === 0 || g === 255 || bl === 0 || bl === 255) clipped[b] = 1;
          block[y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * bl - 128;
        }
      for (let y = 0; y < 8; y++)
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let x = 0; x < 8; x++) sum += (DCT_COS[u]?.[x] as number) * (block[y * 8 + x] as number);
          rows[y * 8 + u] = sum;
        }
      for (let v = 0; v < 8; v++)
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let y = 0; y < 8; y++) sum += (DCT_COS[v]?.[y] as number) * (rows[y * 8 + u] as number);
          dct[b * 64 + v * 8 + u] = sum;
        }
    }
  return { bw, bh, dct, clipped };
}

/**
 * How far each block's coefficients sit from a quantization table's lattice: the squared
 * residual of the coefficients that survive it, over what values unrelated to the table
 * would leave (step²/12). Near 0: the block went through that table; near 1: it did not.
 * −1: too few coefficients (or clipped) to say.
 */
export function latticeResidual(
  blocks: { dct: Float64Array; clipped: Uint8Array },
  table: readonly number[],
): Float64Array {
  const n = blocks.clipped.length;
  const out = new Float64Array(n).fill(-1);
  for (let b = 0; b < n; b++) {
    if (blocks.clipped[b]) continue;
    let residual = 0;
    let expected = 0;
    let counted = 0;
    // The DC term is left out: it moves with brightness and carries one value per block.
    for (let k = 1; k < 64; k++) {
      const c = blocks.dct[b * 64 + k] as number;
      const step = table[k] as number;
      if (step < MIN_STEP || Math.abs(c) < step / 2) continue;
      const r = c - step * Math.round(c / step);
      residual += r * r;
      expected += (step * step) / 12;
      counted += 1;
    }
    if (counted >= MIN_COEFFICIENTS) out[b] = residual / expected;
  }
  return out;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 1;

/**
 * JPEG ghosts, in the DCT domain (after Farid, 2009, and the aligned double-JPEG work of
 * Lin et al., 2009): a photo saved at quality q1 keeps its coefficients on q1's lattice
 * through later saves at higher qualities, so every block with detail "dips" at q1. Text
 * or a photo pasted in afterwards never went through q1 and does not dip. The first
 * compression is the lowest quality where the image as a whole dips (a later, finer save
 * dips too, and so do qualities whose steps divide q1's: all higher); the signal is the
 * largest group of blocks with detail that do not dip there. One save, or several where
 * the image was not edited in between, dips everywhere: nothing to report.
 */
export function errorLevel(full: RgbaImage): ErrorLevel {
  const img = centreCrop(full);
  const blocks = lumaBlocks(img);
  const residuals = new Map<number, Float64Array>();
  const at = (quality: number) => {
    const known = residuals.get(quality);
    if (known) return known;
    const r = latticeResidual(blocks, ijgLumaTable(quality));
    residuals.set(quality, r);
    return r;
  };
  const dips = new Map<number, number>();
  const imageDip = (quality: number) => {
    const known = dips.get(quality);
    if (known !== undefined) return known;
    const measured = [...at(quality)].filter((v) => v >= 0);
    const dip = measured.length >= 20 ? median(measured) : 1;
    dips.set(quality, dip);
    return dip;
  };
  const first = GHOST_QUALITIES.find((q) => imageDip(q) < IMAGE_DIP);
  if (first === undefined) return { ghostQuality: 0, informative: 0, undipped: 0 };
  // The dip has a width: its bottom is the quality itself, within a few steps up.
  let ghost = first;
  for (let q = first + 1; q <= Math.min(first + 6, 97); q++) if (imageDip(q) < imageDip(ghost)) ghost = q;
  const residual = at(ghost);
  const undipped = new Uint8Array(residual.length);
  let informative = 0;
  residual.forEach((v, b) => {
    if (v < 0) return;
    informative += 1;
    if (v > UNDIPPED) undipped[b] = 1;
  });
  const group = largestGroup(undipped, blocks.bw, blocks.bh, GROUP_REACH);
  if (!group.length) return { ghostQuality: ghost, informative, undipped: 0 };
  const xs = group.map((b) => b % blocks.bw);
  const ys = group.map((b) => Math.floor(b / blocks.bw));
  return {
    ghostQuality: ghost,
    informative,
    undipped: group.length,
    worst: {
      x: (Math.min(...xs) * 8) / img.width,
      y: (Math.min(...ys) * 8) / img.height,
      w: ((Math.max(...xs) - Math.min(...xs) + 1) * 8) / img.width,
      h: ((Math.max(...ys) - Math.min(...ys) + 1) * 8) / img.height,
    },
  };
}

/** The largest set of marked cells connected through cells at most `reach` apart (Chebyshev). */
export function largestGroup(marked: Uint8Array, width: number, height: number, reach: number): number[] {
  const seen = new Uint8Array(marked.length);
  let best: number[] = [];
  for (let start = 0; start < marked.length; start++) {
    if (!marked[start] || seen[start]) continue;
    const group: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const cell = stack.pop() as number;
      group.push(cell);
      const cx = cell % width;
      const cy = Math.floor(cell / width);
      for (let y = Math.max(0, cy - reach); y <= Math.min(height - 1, cy + reach); y++)
        for (let x = Math.max(0, cx - reach); x <= Math.min(width - 1, cx + reach); x++) {
          const j = y * width + x;
          if (marked[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
    }
    if (group.length > best.length) best = group;
  }
  return best;
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

/** Side of a detail print, in cells. */
export const PRINT_SIDE = 96;

/**
 * A region's detail print, for confirming a reuse the perceptual hash suggests: the region
 * at 96×96, less its local mean (3×3), scaled to unit deviation and kept as signed bytes.
 * The layout a tenant's cards share (paper, frames, where the lines run) is smooth and
 * drops out; what is left — strokes of the text, the features of a face — is the card's
 * own. 9,216 bytes.
 */
export function detailPrint(region: GrayImage): Int8Array {
  const small = resize(region, PRINT_SIDE, PRINT_SIDE).data;
  const at = (x: number, y: number) =>
    small[
      Math.min(PRINT_SIDE - 1, Math.max(0, y)) * PRINT_SIDE + Math.min(PRINT_SIDE - 1, Math.max(0, x))
    ] as number;
  const detail = new Float64Array(PRINT_SIDE * PRINT_SIDE);
  for (let y = 0; y < PRINT_SIDE; y++)
    for (let x = 0; x < PRINT_SIDE; x++) {
      let mean = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) mean += at(x + dx, y + dy);
      detail[y * PRINT_SIDE + x] = at(x, y) - mean / 9;
    }
  const sd = Math.sqrt(detail.reduce((s, v) => s + v * v, 0) / detail.length) || 1;
  // ±3.5 deviations in a signed byte: the rare stronger edge is clipped, nothing else.
  return Int8Array.from(detail, (v) => Math.max(-127, Math.min(127, Math.round((v / sd) * 36))));
}

/** How far (cells) a tile may move to find its match: ~4 % of the region. */
const PRINT_SHIFT = 4;

/**
 * How alike two detail prints are (0 to 1; opposite counts as unlike): each of 4×4 tiles of `a` finds its best
 * normalized correlation in `b` within a few cells, so a card photographed again — shifted,
 * a little larger or smaller, slightly askew — still lines up tile by tile; the median over
 * the tiles with detail is the answer, so a changed line (a new name on a reused card)
 * does not hide the rest. Another card of the layout, whose strokes fall elsewhere, stays low.
 * `tilesPerSide` 1 compares the print whole (a portrait copied digitally from another card:
 * tiles of flat ID-photo backdrop would let different people's tiles match).
 */
export function printSimilarity(a: Int8Array, b: Int8Array, tilesPerSide: 1 | 4): number {
  if (a.length !== PRINT_SIDE * PRINT_SIDE || b.length !== a.length) return 0;
  const tile = PRINT_SIDE / tilesPerSide;
  const tiles: { energy: number; best: number }[] = [];
  for (let ty = 0; ty < tilesPerSide; ty++)
    for (let tx = 0; tx < tilesPerSide; tx++) {
      const x0 = tx * tile;
      const y0 = ty * tile;
      let energy = 0;
      for (let y = y0; y < y0 + tile; y++)
        for (let x = x0; x < x0 + tile; x++) energy += (a[y * PRINT_SIDE + x] as number) ** 2;
      let best = 0;
      for (let sy = -PRINT_SHIFT; sy <= PRINT_SHIFT; sy++)
        for (let sx = -PRINT_SHIFT; sx <= PRINT_SHIFT; sx++) {
          if (y0 + sy < 0 || x0 + sx < 0 || y0 + tile + sy > PRINT_SIDE || x0 + tile + sx > PRINT_SIDE)
            continue;
          let ab = 0;
          let bb = 0;
          for (let y = y0; y < y0 + tile; y++)
            for (let x = x0; x < x0 + tile; x++) {
              const vb = b[(y + sy) * PRINT_SIDE + x + sx] as number;
              ab += (a[y * PRINT_SIDE + x] as number) * vb;
              bb += vb * vb;
            }
          if (energy && bb) best = Math.max(best, ab / Math.sqrt(energy * bb));
        }
      tiles.push({ energy, best });
    }
  // Tiles of plain paper hold only noise: they would pull the same card down.
  const mean = tiles.reduce((s, t) => s + t.energy, 0) / tiles.length;
  const detailed = tiles.filter((t) => t.energy >= 0.5 * mean).map((t) => t.best);
  return detailed.length ? median(detailed) : 0;
}
