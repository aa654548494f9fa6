// Reads a QR code PNG the way scanners in the field do: jsqr (what browser-based gate
// scanners commonly use) and ZXing (what most phone apps use), on the image as served, at
// half its size, and at half its size slightly blurred (a phone photo of a print).
import {
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import jsqrModule, { type QRCode } from 'jsqr';
import { PNG } from 'pngjs';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => QRCode | null;
// jsqr is CommonJS with an ES-style declaration: whichever of the two the loader hands over.
const jsQR: Decode =
  (jsqrModule as unknown as { default?: Decode }).default ?? (jsqrModule as unknown as Decode);

interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function halfSize(img: Rgba): Rgba {
  const width = Math.floor(img.width / 2);
  const height = Math.floor(img.height / 2);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const)
          sum += img.data[((2 * y + dy) * img.width + 2 * x + dx) * 4 + c] as number;
        data[(y * width + x) * 4 + c] = sum / 4;
      }
  return { data, width, height };
}

/** The image at `factor` of its size (nearest pixel): the same code held further away. */
function scaled(img: Rgba, factor: number): Rgba {
  const width = Math.floor(img.width * factor);
  const height = Math.floor(img.height * factor);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from =
        (Math.min(img.height - 1, Math.floor(y / factor)) * img.width +
          Math.min(img.width - 1, Math.floor(x / factor))) *
        4;
      for (let c = 0; c < 4; c++) data[(y * width + x) * 4 + c] = img.data[from + c] as number;
    }
  return { data, width, height };
}

/** A 3×3 box blur: a slightly unfocused camera. */
function blurred(img: Rgba): Rgba {
  const data = new Uint8ClampedArray(img.data.length);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height) continue;
            sum += img.data[(yy * img.width + xx) * 4 + c] as number;
            n++;
          }
        data[(y * img.width + x) * 4 + c] = sum / n;
      }
  return { data, width: img.width, height: img.height };
}

/**
 * ZXing as a phone app uses it: frame after frame, never pixel-perfect. zxing-js's
 * finder-pattern search misses about one pixel-perfect render in five at one exact size
 * (NotFoundException) that it reads once the frame is as soft as any camera makes it.
 */
function zxing(img: Rgba): string | undefined {
  const half = halfSize(img);
  // And from a little further away: zxing-js also misses some codes at one exact scale
  // (a signed ticket's QR at 0.5 and 1.0 but not 0.8), which a moving phone never holds.
  const frames = [img, blurred(img), half, blurred(half), scaled(img, 0.8), scaled(img, 0.6), halfSize(half)];
  for (const frame of frames) {
    const text = zxingFrame(frame);
    if (text) return text;
  }
  return undefined;
}

function zxingFrame(img: Rgba): string | undefined {
  const luminance = new Uint8ClampedArray(img.width * img.height);
  for (let i = 0; i < luminance.length; i++)
    luminance[i] =
      ((img.data[i * 4] as number) * 299 +
        (img.data[i * 4 + 1] as number) * 587 +
        (img.data[i * 4 + 2] as number) * 114) /
      1000;
  const bitmap = new BinaryBitmap(
    new HybridBinarizer(new RGBLuminanceSource(luminance, img.width, img.height)),
  );
  try {
    return new QRCodeReader().decode(bitmap, new Map([[DecodeHintType.TRY_HARDER, true]])).getText();
  } catch {
    return undefined;
  }
}

/** What each decoder reads in each variant of the image (undefined: nothing). */
export function decodeEveryWay(png: Buffer): Record<string, string | undefined> {
  const read = PNG.sync.read(png);
  const original: Rgba = { data: new Uint8ClampedArray(read.data), width: read.width, height: read.height };
  const half = halfSize(original);
  const variants = { original, half, 'half, blurred': blurred(half) };
  const out: Record<string, string | undefined> = {};
  for (const [name, img] of Object.entries(variants)) {
    out[`jsqr, ${name}`] = jsQR(img.data, img.width, img.height)?.data;
    out[`zxing, ${name}`] = zxing(img);
  }
  return out;
}
