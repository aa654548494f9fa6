// Reads the QR code an e-certificate carries, from a PNG or JPEG photo of it. The payload
// was written by the issuer, so admission.ts prefers it to anything OCR guesses. jsqr
// decodes from RGBA pixels; image-signals.ts (pngjs, jpeg-js) gives it those pixels — the
// same decode the forgery analysis uses, so the document step decodes an image once.
import jsqrModule, { type QRCode } from 'jsqr';
import { decodeImage, type RgbaImage } from './image-signals.ts';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => QRCode | null;
// jsqr is CommonJS with an ES-style declaration: whichever of the two the loader hands over.
const jsQR: Decode =
  (jsqrModule as unknown as { default?: Decode }).default ?? (jsqrModule as unknown as Decode);

/** Guards memory: a phone photo is ~12 MP; anything far larger is not a card. */
const MAX_PIXELS = 40_000_000;

/**
 * The QR payload, or undefined when the image is not a PNG/JPEG, unreadable, or has no
 * code. `decoded`: the pixels, when the caller has decoded the image already.
 */
export function readQrCode(
  image: Buffer,
  decoded: RgbaImage | undefined = decodeImage(image),
): string | undefined {
  if (!decoded || decoded.width * decoded.height > MAX_PIXELS) return undefined;
  try {
    const data = new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    return jsQR(data, decoded.width, decoded.height)?.data || undefined;
  } catch {
    // A code jsqr cannot follow is no code; OCR still gets its chance.
    return undefined;
  }
}
