// What reading a certificate image needs — decoding, the QR code, the forgery measurements —
// gathered so the document step can import it on first use: its libraries (jsqr, exifr,
// jpeg-js, pngjs) are ~250 KB that no other onboarding route needs at cold start.
export { measureImage, reuseSignals } from './forgery-analysis.ts';
export { decodeImage } from './image-signals.ts';
export { readQrCode } from './qr-code.ts';
