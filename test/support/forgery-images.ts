// A labelled set of certificate photos, generated: clean photos of cards, the same card
// with pasted text, recompressed twice, a card reused for a second person, a photo swapped
// in from another card, a photo enlarged into the slot, a photo lit from the other side, and seal photos with the flash
// on (real ink, printed copy). Deterministic per seed, so tests and the bench agree.
import jpeg from 'jpeg-js';

export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

const W = 640;
const H = 400;

/** A small seeded generator (mulberry32). */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

function set(img: Rgba, x: number, y: number, r: number, g: number, b: number) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = (y * img.width + x) * 4;
  img.data[o] = clamp(r);
  img.data[o + 1] = clamp(g);
  img.data[o + 2] = clamp(b);
  img.data[o + 3] = 255;
}

function get(img: Rgba, x: number, y: number): [number, number, number] {
  const o = (y * img.width + x) * 4;
  return [img.data[o] as number, img.data[o + 1] as number, img.data[o + 2] as number];
}

/**
 * A face-like portrait, as different between people as the seed makes it: backdrop split at
 * a seeded angle, head size and place, hair line, glasses, clothing pattern; lit from
 * `lightFromRight`.
 */
function drawPortrait(img: Rgba, seed: number, lightFromRight: boolean) {
  const rnd = random(seed * 7 + 3);
  const x0 = Math.floor(0.05 * W);
  const y0 = Math.floor(0.2 * H);
  const pw = Math.floor(0.25 * W);
  const ph = Math.floor(0.55 * H);
  const bgA = [120 + rnd() * 120, 120 + rnd() * 120, 140 + rnd() * 110];
  const bgB = [60 + rnd() * 160, 60 + rnd() * 160, 60 + rnd() * 160];
  const split = rnd() * Math.PI;
  const skin = [170 + rnd() * 70, 120 + rnd() * 60, 90 + rnd() * 60];
  const hair = [10 + rnd() * 90, 10 + rnd() * 70, 10 + rnd() * 50];
  const cloth: [number, number, number] = [rnd() * 200, rnd() * 200, rnd() * 200];
  const stripes = 4 + Math.floor(rnd() * 12);
  const cx = pw * (0.3 + rnd() * 0.4);
  const cy = ph * (0.3 + rnd() * 0.2);
  const rx = pw * (0.18 + rnd() * 0.16);
  const ry = ph * (0.18 + rnd() * 0.14);
  const fringe = -0.2 - rnd() * 0.6;
  const wave = rnd() * 6;
  const glasses = rnd() < 0.5;
  const eyeY = cy - ry * (0.1 + rnd() * 0.15);
  const eyeDx = rx * (0.3 + rnd() * 0.2);
  for (let y = 0; y < ph; y++)
    for (let x = 0; x < pw; x++) {
      // Light: a strong left-right ramp across the whole portrait.
      const ramp = ((lightFromRight ? x : pw - x) / pw - 0.5) * 120;
      const side = (x - pw / 2) * Math.cos(split) + (y - ph / 2) * Math.sin(split) > 0;
      let c = side ? bgA : bgB;
      const dx = (x - cx) / rx;
      const dy = (y - cy) / ry;
      const inHead = dx * dx + dy * dy <= 1;
      const shoulders = y > cy + ry * 1.05 && Math.abs(x - cx) < rx * (1.6 + (y - cy - ry) / ph);
      if (shoulders)
        c = Math.floor((x + y) / stripes) % 2 ? cloth : [cloth[0] * 0.5, cloth[1] * 0.5, cloth[2] * 0.5];
      if (inHead) c = dy < fringe + 0.15 * Math.sin(dx * wave) ? hair : skin;
      if (!inHead && dx * dx + (dy + 0.15) * (dy + 0.15) <= 1.25 && dy < 0.2) c = hair;
      if (inHead) {
        if (Math.abs(y - eyeY) < 4 && (Math.abs(x - (cx - eyeDx)) < 7 || Math.abs(x - (cx + eyeDx)) < 7))
          c = [30, 30, 30];
        if (
          glasses &&
          Math.abs(y - eyeY) < 9 &&
          Math.abs(Math.abs(x - cx) - eyeDx) < 11 &&
          Math.abs(Math.abs(x - cx) - eyeDx) > 8
        )
          c = [20, 20, 20];
        if (Math.abs(y - (cy + ry * 0.45)) < 3 && Math.abs(x - cx) < rx * 0.4) c = [150, 60, 60];
      }
      const shade = ramp + (rnd() - 0.5) * 6;
      const [r, g, b] = c as number[];
      set(img, x0 + x, y0 + y, (r as number) + shade, (g as number) + shade, (b as number) + shade);
    }
}

/** Seeded lines of "text": dark strokes of varying lengths, rows per card. */
function drawText(img: Rgba, seed: number, region = { x: 0.36, y: 0.15, w: 0.58, h: 0.6 }) {
  const rnd = random(seed * 13 + 5);
  const rows = 6;
  for (let r = 0; r < rows; r++) {
    const y = Math.floor((region.y + (region.h * r) / rows) * H);
    let x = Math.floor(region.x * W);
    const end = Math.floor((region.x + region.w * (0.4 + rnd() * 0.6)) * W);
    while (x < end) {
      const glyph = 6 + Math.floor(rnd() * 10);
      for (let gy = 0; gy < 16; gy++)
        for (let gx = 0; gx < glyph; gx++) if (rnd() < 0.45) set(img, x + gx, y + gy, 25, 25, 35);
      x += glyph + 4;
    }
  }
}

/** The red seal: a ring with a star, bottom right; `ink` adds the gloss real ink has under a flash. */
function drawSeal(img: Rgba, cx = 0.8 * W, cy = 0.78 * H) {
  for (let y = -50; y <= 50; y++)
    for (let x = -50; x <= 50; x++) {
      const d = Math.hypot(x, y);
      if ((d > 40 && d < 48) || (d < 18 && Math.abs(x) + Math.abs(y) < 20))
        set(img, Math.round(cx + x), Math.round(cy + y), 200, 30, 35);
    }
}

/** A card as the camera sees it: paper with a seeded low-frequency pattern, portrait, text, seal. */
export function card(seed: number, options: { lightFromRight?: boolean } = {}): Rgba {
  const img: Rgba = { width: W, height: H, data: new Uint8Array(W * H * 4) };
  const rnd = random(seed);
  const fx = 1 + rnd() * 3;
  const fy = 1 + rnd() * 3;
  const phase = rnd() * Math.PI * 2;
  const tint = rnd() * 20;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      // Light from the right: the paper brightens along x, as the portrait does.
      const light = options.lightFromRight === false ? (W - x) / W : x / W;
      const pattern =
        14 * Math.sin(((fx * x) / W) * Math.PI * 2 + phase) * Math.cos(((fy * y) / H) * Math.PI * 2);
      const base = 205 + pattern + (light - 0.5) * 40 + (rnd() - 0.5) * 4;
      set(img, x, y, base, base - 4, base - 14 - tint);
    }
  drawPortrait(img, seed, options.lightFromRight !== false);
  drawText(img, seed);
  drawSeal(img);
  return img;
}

export const encodeJpeg = (img: Rgba, quality = 85) =>
  Buffer.from(jpeg.encode({ data: img.data, width: img.width, height: img.height }, quality).data);

export const decodeJpeg = (bytes: Buffer): Rgba =>
  jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true }) as unknown as Rgba;

/** An EXIF APP1 segment (little-endian TIFF, IFD0 with ASCII tags) spliced in after SOI. */
export function withExif(bytes: Buffer, tags: { make?: string; model?: string; software?: string }): Buffer {
  const all: [number, string | undefined][] = [
    [0x010f, tags.make],
    [0x0110, tags.model],
    [0x0131, tags.software],
  ];
  const entries = all.filter((e): e is [number, string] => !!e[1]);
  const ifdSize = 2 + entries.length * 12 + 4;
  const values: Buffer[] = [];
  let valueOffset = 8 + ifdSize;
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, text], i) => {
    const value = Buffer.from(`${text}\0`, 'ascii');
    const o = 2 + i * 12;
    ifd.writeUInt16LE(tag, o);
    ifd.writeUInt16LE(2, o + 2); // ASCII
    ifd.writeUInt32LE(value.length, o + 4);
    if (value.length <= 4) value.copy(ifd, o + 8);
    else {
      ifd.writeUInt32LE(valueOffset, o + 8);
      values.push(value);
      valueOffset += value.length;
    }
  });
  const tiff = Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), ifd, ...values]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'ascii'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([bytes.subarray(0, 2), header, payload, bytes.subarray(2)]);
}

const PHONE = { make: 'HUAWEI', model: 'Mate 60' };

/** A clean photo of a card, as a phone would save it. */
export const cleanPhoto = (seed: number) => withExif(encodeJpeg(card(seed), 85), PHONE);

/**
 * The same card, saved by the phone, then a new number pasted over a text line in an editor
 * and exported at high quality (the usual way: the patch never saw the phone's compression).
 */
export function pastedText(seed: number): Buffer {
  const saved = decodeJpeg(encodeJpeg(card(seed), 85));
  const rnd = random(seed + 99);
  // A freshly drawn, never-compressed patch: clean paper and crisp strokes.
  const y0 = Math.floor(0.55 * H);
  for (let y = y0; y < y0 + 28; y++)
    for (let x = Math.floor(0.4 * W); x < Math.floor(0.85 * W); x++) {
      const ink = y > y0 + 6 && y < y0 + 22 && rnd() < 0.5;
      set(saved, x, y, ink ? 10 : 250, ink ? 10 : 250, ink ? 10 : 250);
    }
  return encodeJpeg(saved, 95);
}

/** A clean card saved three times over (messaging apps do this): not a forgery. */
export function recompressed(seed: number): Buffer {
  const once = decodeJpeg(encodeJpeg(card(seed), 85));
  const twice = decodeJpeg(encodeJpeg(once, 75));
  return withExif(encodeJpeg(twice, 80), PHONE);
}

/** Another person's card photo, shown again: recompressed, slightly shifted. */
export function reusedCard(seed: number): Buffer {
  const img = decodeJpeg(encodeJpeg(card(seed), 85));
  const shifted: Rgba = { width: W, height: H, data: new Uint8Array(W * H * 4) };
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const [r, g, b] = get(img, Math.min(W - 1, x + 3), Math.min(H - 1, y + 2));
      set(shifted, x, y, r, g, b);
    }
  return withExif(encodeJpeg(shifted, 80), PHONE);
}

/** Card `seed` with the portrait of card `donor` pasted in. */
export function photoSwapped(seed: number, donor: number): Buffer {
  const target = decodeJpeg(encodeJpeg(card(seed), 85));
  const source = card(donor);
  for (let y = Math.floor(0.2 * H); y < Math.floor(0.75 * H); y++)
    for (let x = Math.floor(0.05 * W); x < Math.floor(0.3 * W); x++) {
      const [r, g, b] = get(source, x, y);
      set(target, x, y, r, g, b);
    }
  return encodeJpeg(target, 95);
}

/** A card whose portrait is lit from the left while the card is lit from the right. */
export function relitPhoto(seed: number): Buffer {
  const img = card(seed);
  const other = card(seed, { lightFromRight: false });
  for (let y = Math.floor(0.2 * H); y < Math.floor(0.75 * H); y++)
    for (let x = Math.floor(0.05 * W); x < Math.floor(0.3 * W); x++) {
      const [r, g, b] = get(other, x, y);
      set(img, x, y, r, g, b);
    }
  return withExif(encodeJpeg(img, 85), PHONE);
}

/**
 * Card `seed` with a portrait taken from a smaller picture (another person's, never indexed:
 * a web page, a chat) and enlarged `factor` times with bilinear interpolation to fill the
 * photo slot, then saved once by the phone with its metadata — so neither reuse, nor error
 * level, nor metadata has anything to say; only the interpolation's period does.
 */
export function resampledPhoto(seed: number, donor: number, factor: number): Buffer {
  const target = card(seed);
  const source = card(donor);
  const x0 = Math.floor(0.05 * W);
  const y0 = Math.floor(0.2 * H);
  const pw = Math.floor(0.25 * W);
  const ph = Math.floor(0.55 * H);
  const sw = Math.round(pw / factor);
  const sh = Math.round(ph / factor);
  const small = (x: number, y: number, c: number) =>
    source.data[((y0 + Math.floor(y * factor)) * W + x0 + Math.floor(x * factor)) * 4 + c] as number;
  for (let y = 0; y < ph; y++)
    for (let x = 0; x < pw; x++) {
      const fx = Math.min(sw - 1.001, x / factor);
      const fy = Math.min(sh - 1.001, y / factor);
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const ax = fx - ix;
      const ay = fy - iy;
      const v = (c: number) =>
        (1 - ax) * (1 - ay) * small(ix, iy, c) +
        ax * (1 - ay) * small(ix + 1, iy, c) +
        (1 - ax) * ay * small(ix, iy + 1, c) +
        ax * ay * small(ix + 1, iy + 1, c);
      set(target, x0 + x, y0 + y, v(0), v(1), v(2));
    }
  return withExif(encodeJpeg(target, 85), PHONE);
}

/**
 * The second photo, flash on: paper brightens ~25 %; real seal ink reflects the flash as
 * scattered highlights, a printed seal brightens like the paper.
 */
export function flashPhoto(seed: number, printedSeal: boolean): Buffer {
  const img = card(seed);
  const rnd = random(seed + 7);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const [r, g, b] = get(img, x, y);
      const sealInk = r > 110 && r > 1.6 * g && r > 1.6 * b;
      if (sealInk && !printedSeal) {
        // Gloss: a share of the ink throws the flash back white; the rest darkens a little.
        if (rnd() < 0.3) set(img, x, y, 250, 245, 245);
        else set(img, x, y, r * 1.02, g * 1.05, b * 1.05);
      } else set(img, x, y, r * 1.2, g * 1.2, b * 1.2);
    }
  return withExif(encodeJpeg(img, 85), PHONE);
}

/** Another person's card photo forwarded through a messaging app: the same pixels, saved again at 75. */
export const forwardedCard = (seed: number) => encodeJpeg(decodeJpeg(cleanPhoto(seed)), 75);
