// Reads the QR code an e-certificate carries, from a PNG or JPEG photo of it. The payload
// was written by the issuer, so admission.ts prefers it to anything OCR guesses. jsqr
// decodes from RGBA pixels; pngjs and jpeg-js (pure JS, small) give it those pixels.
import jpeg from 'jpeg-js';
import jsqrModule, { type QRCode } from 'jsqr';
import { PNG } from 'pngjs';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => QRCode | null;
// jsqr is CommonJS with an ES-style declaration: whichever of the two the loader hands over.
const jsQR: Decode =
  (jsqrModule as unknown as { default?: Decode }).default ?? (jsqrModule as unknown as Decode);

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
/** Guards memory: a phone photo is ~12 MP; anything far larger is not a card. */
const MAX_PIXELS = 40_000_000;

function pixels(image: Buffer): { data: Uint8Array; width: number; height: number } | undefined {
  if (image.subarray(0, 4).equals(PNG_MAGIC)) return PNG.sync.read(image);
  if (image.subarray(0, 3).equals(JPEG_MAGIC))
    return jpeg.decode(image, { useTArray: true, maxResolutionInMP: MAX_PIXELS / 1e6, formatAsRGBA: true });
  return undefined;
}

/** The QR payload, or undefined when the image is not a PNG/JPEG, unreadable, or has no code. */
export function readQrCode(image: Buffer): string | undefined {
  try {
    const p = pixels(image);
    if (!p || p.width * p.height > MAX_PIXELS) return undefined;
    const data = new Uint8ClampedArray(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    return jsQR(data, p.width, p.height)?.data || undefined;
  } catch {
    // A corrupt image has no code to read; OCR still gets its chance.
    return undefined;
  }
}
