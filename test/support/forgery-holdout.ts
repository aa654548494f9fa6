// A second, independent set of certificate photos for calibrating and checking the forgery
// analysis on images it was not built on (issue 26, findings 6 and 7). Drawn differently
// from forgery-images.ts on purpose: card sizes, plain and patterned paper, ID-photo style
// portraits on the standard blue, white or red backdrop (different people look alike there),
// text of any length and size, sensor noise, camera blur, and any JPEG quality from 60 to 95.
// A tenant's honest cohort shares one layout, as the cards of one issuing authority do.
//
// Two splits: `calibration` (seeds below 10,000) is what limits were chosen on;
// `heldOut` (seeds from 10,000) is measured once the limits are fixed.
import { decodeJpeg, encodeJpeg, type Rgba, random, withExif } from './forgery-images.ts';

export interface Layout {
  width: number;
  height: number;
  paper: 'plain' | 'gradient' | 'guilloche' | 'speckled';
  paperColour: [number, number, number];
  /** Text rows: first row's top, row pitch, glyph height (fractions of the height). */
  rows: number;
  rowTop: number;
  rowPitch: number;
  glyph: number;
  sealAt: [number, number];
}

/** One issuing authority's layout: every card of a cohort shares it. */
export function layout(seed: number): Layout {
  const rnd = random(seed * 31 + 11);
  const width = [560, 640, 720, 800][Math.floor(rnd() * 4)] as number;
  const papers = ['plain', 'gradient', 'guilloche', 'speckled'] as const;
  const rows = 4 + Math.floor(rnd() * 5);
  return {
    width,
    height: Math.round(width * (0.6 + rnd() * 0.06)),
    paper: papers[Math.floor(rnd() * 4)] as Layout['paper'],
    paperColour: [225 + rnd() * 25, 222 + rnd() * 25, 205 + rnd() * 40],
    rows,
    rowTop: 0.12 + rnd() * 0.08,
    rowPitch: (0.62 - 0.02 * rows) / rows + 0.02,
    glyph: 0.035 + rnd() * 0.025,
    sealAt: [0.72 + rnd() * 0.12, 0.7 + rnd() * 0.1],
  };
}

export interface Capture {
  /** Sensor noise (standard deviation, grey levels). */
  noise: number;
  /** Camera blur (Gaussian sigma, pixels; 0: sharp). */
  blur: number;
  /** The phone's JPEG quality. */
  quality: number;
  /** Light falloff across the card, grey levels from left to right edge. */
  light: number;
}

export function capture(seed: number): Capture {
  const rnd = random(seed * 17 + 5);
  return {
    noise: rnd() * 5,
    blur: rnd() < 0.4 ? 0 : 0.4 + rnd() * 0.9,
    quality: 60 + Math.floor(rnd() * 36),
    light: (rnd() - 0.5) * 50,
  };
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

function put(img: Rgba, x: number, y: number, [r, g, b]: readonly number[]) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = (y * img.width + x) * 4;
  img.data[o] = clamp(r as number);
  img.data[o + 1] = clamp(g as number);
  img.data[o + 2] = clamp(b as number);
  img.data[o + 3] = 255;
}

/** A standard ID photo: flat backdrop, a centred head, dark clothes; the person is the seed. */
function drawIdPhoto(img: Rgba, person: number, box: { x: number; y: number; w: number; h: number }) {
  const rnd = random(person * 101 + 7);
  const backdrops = [
    [67, 142, 219],
    [245, 245, 245],
    [200, 30, 40],
  ];
  const backdrop = backdrops[Math.floor(rnd() * 3)] as number[];
  const skin = [180 + rnd() * 50, 135 + rnd() * 40, 105 + rnd() * 40];
  const hair = [15 + rnd() * 40, 12 + rnd() * 30, 10 + rnd() * 25];
  const suit = [20 + rnd() * 60, 20 + rnd() * 60, 30 + rnd() * 70];
  const cx = box.w * (0.46 + rnd() * 0.08);
  const cy = box.h * (0.4 + rnd() * 0.06);
  const rx = box.w * (0.22 + rnd() * 0.06);
  const ry = box.h * (0.2 + rnd() * 0.05);
  const hairline = -0.35 - rnd() * 0.35;
  const eyeY = -0.1 - rnd() * 0.12;
  const eyeDx = 0.32 + rnd() * 0.12;
  const eyeSize = 0.07 + rnd() * 0.05;
  const mouthY = 0.45 + rnd() * 0.12;
  const mouthW = 0.25 + rnd() * 0.2;
  const noseLen = 0.15 + rnd() * 0.15;
  const glasses = rnd() < 0.3;
  for (let y = 0; y < box.h; y++)
    for (let x = 0; x < box.w; x++) {
      const dx = (x - cx) / rx;
      const dy = (y - cy) / ry;
      let c = backdrop;
      const r2 = dx * dx + dy * dy;
      if (y > cy + ry * 0.9 && Math.abs(x - cx) < rx * (1.3 + ((y - cy - ry) / box.h) * 3)) c = suit;
      if (dx * dx + (dy + 0.12) ** 2 <= 1.12 && dy < 0.1) c = hair;
      if (r2 <= 1) {
        c = dy < hairline ? hair : skin;
        // Soft shading towards the face's edge, as a studio light gives.
        if (c === skin) c = skin.map((v) => v * (1 - 0.18 * r2));
        if (Math.abs(dy - eyeY) < eyeSize && Math.abs(Math.abs(dx) - eyeDx) < eyeSize * 1.6) c = [35, 30, 30];
        if (glasses && Math.abs(Math.hypot(Math.abs(dx) - eyeDx, dy - eyeY) - 0.17) < 0.025) c = [25, 25, 25];
        if (Math.abs(dx) < 0.04 && dy > eyeY && dy < eyeY + noseLen + 0.1) c = skin.map((v) => v * 0.82);
        if (Math.abs(dy - mouthY) < 0.035 && Math.abs(dx) < mouthW) c = [150, 70, 70];
      }
      put(img, box.x + x, box.y + y, c);
    }
}

function drawGlyphs(img: Rgba, rnd: () => number, x0: number, y: number, x1: number, size: number) {
  let x = x0;
  while (x < x1) {
    const w = Math.round(size * (0.6 + rnd() * 0.5));
    // Strokes: a few horizontal and vertical bars per glyph, as Hanzi are built.
    const strokes = 2 + Math.floor(rnd() * 4);
    for (let s = 0; s < strokes; s++) {
      const vertical = rnd() < 0.5;
      const at = Math.floor(rnd() * (vertical ? w : size));
      const from = Math.floor(rnd() * size * 0.3);
      const to = Math.floor(size * (0.6 + rnd() * 0.4));
      const thick = Math.max(1, Math.round(size / 9));
      for (let t = from; t < to; t++)
        for (let k = 0; k < thick; k++)
          if (vertical) put(img, x + at + k, y + t, [30, 30, 40]);
          else if (t < w) put(img, x + t, y + at + k, [30, 30, 40]);
    }
    x += w + Math.max(2, Math.round(size * 0.25));
  }
}

/**
 * One person's card of a layout, before the camera: paper, ID photo, rows of text whose
 * lengths and strokes are the person's, a seal.
 */
export function drawCard(l: Layout, person: number): Rgba {
  const { width: W, height: H } = l;
  const img: Rgba = { width: W, height: H, data: new Uint8Array(W * H * 4) };
  const rnd = random(person * 13 + 1);
  const paperNoise = random(person * 3 + 2);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 0;
      if (l.paper === 'gradient') v = ((x + y) / (W + H) - 0.5) * 30;
      if (l.paper === 'guilloche')
        v = 9 * Math.sin((x / W) * 40 + 6 * Math.sin((y / H) * 9)) * Math.sin((y / H) * 23);
      if (l.paper === 'speckled') v = paperNoise() < 0.03 ? -25 : 0;
      put(
        img,
        x,
        y,
        l.paperColour.map((c) => c + v),
      );
    }
  // The photo sits where cards of the layout keep it (PHOTO_REGION), a little off as printed.
  drawIdPhoto(img, person, {
    x: Math.round((0.06 + rnd() * 0.02) * W),
    y: Math.round((0.21 + rnd() * 0.02) * H),
    w: Math.round(0.23 * W),
    h: Math.round(0.52 * H),
  });
  const size = Math.round(l.glyph * H);
  for (let r = 0; r < l.rows; r++) {
    const y = Math.round((l.rowTop + r * l.rowPitch) * H);
    const label = Math.round(0.36 * W);
    drawGlyphs(img, random(r * 7 + 3), label, y, label + Math.round(0.1 * W), size); // the layout's label
    drawGlyphs(img, rnd, label + Math.round(0.13 * W), y, Math.round((0.5 + rnd() * 0.44) * W), size);
  }
  const [sx, sy] = [l.sealAt[0] * W, l.sealAt[1] * H];
  const radius = 0.11 * H;
  for (let y = -radius; y <= radius; y++)
    for (let x = -radius; x <= radius; x++) {
      const d = Math.hypot(x, y);
      if (
        (d > radius * 0.82 && d < radius) ||
        (d < radius * 0.35 && Math.abs(x) + Math.abs(y) < radius * 0.4)
      )
        put(img, Math.round(sx + x), Math.round(sy + y), [205, 35, 40]);
    }
  return img;
}

/** What a phone makes of a card: light falloff, blur, noise (before its JPEG). */
export function photograph(card: Rgba, c: Capture, seed: number): Rgba {
  const { width: W, height: H } = card;
  let data: Uint8Array = card.data;
  if (c.blur > 0) data = gaussian(card, c.blur);
  const out: Rgba = { width: W, height: H, data: new Uint8Array(W * H * 4) };
  const rnd = random(seed * 19 + 23);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      const light = (x / W - 0.5) * c.light;
      // Box–Muller on the seeded generator.
      const n = c.noise * Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
      for (let k = 0; k < 3; k++) out.data[o + k] = clamp((data[o + k] as number) + light + n);
      out.data[o + 3] = 255;
    }
  return out;
}

function gaussian(img: Rgba, sigma: number): Uint8Array {
  const radius = Math.ceil(sigma * 2.5);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const sum = kernel.reduce((a, b) => a + b, 0);
  const k = kernel.map((v) => v / sum);
  const { width: W, height: H } = img;
  const taps = Float64Array.from(k);
  // Away from the edges the taps need no clamping: a straight walk through the row or column,
  // summed in the same order (the same result to the last bit, ~3× faster; the holdout's
  // photographs were a third of the forgery suite's time).
  const pass = (src: Uint8Array | Float64Array, dx: number, dy: number) => {
    const dst = new Float64Array(src.length);
    const step = (dy * W + dx) * 4;
    const extent = dx ? W : H;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const at = dx ? x : y;
        const base = (y * W + x) * 4;
        const inside = at >= radius && at < extent - radius;
        for (let c = 0; c < 3; c++) {
          let v = 0;
          if (inside)
            for (let i = 0, o = base - radius * step + c; i < taps.length; i++, o += step)
              v += (taps[i] as number) * (src[o] as number);
          else
            for (let i = -radius; i <= radius; i++) {
              const xx = Math.min(W - 1, Math.max(0, x + i * dx));
              const yy = Math.min(H - 1, Math.max(0, y + i * dy));
              v += (k[i + radius] as number) * (src[(yy * W + xx) * 4 + c] as number);
            }
          dst[base + c] = v;
        }
      }
    return dst;
  };
  const both = pass(pass(img.data, 1, 0), 0, 1);
  return Uint8Array.from(both, (v) => clamp(v));
}

const PHONE = { make: 'Xiaomi', model: '14' };

/** A worker's honest photo of their own card. */
export function honestPhoto(l: Layout, person: number, shot = person): Buffer {
  const c = capture(shot);
  return withExif(encodeJpeg(photograph(drawCard(l, person), c, shot), c.quality), PHONE);
}

/** An honest photo forwarded through a chat app: decoded and saved again, metadata gone. */
export function forwarded(photo: Buffer, quality: number): Buffer {
  return encodeJpeg(decodeJpeg(photo), quality);
}

/**
 * The textbook splice (finding 6): the phone's photo (saved at `first`), a line of new text
 * on a patch of paper the forger matched to the card, exported from the editor at `second`.
 */
export function splicedText(l: Layout, person: number, first: number, second: number, shot = person): Buffer {
  const c = { ...capture(shot), quality: first };
  const saved = decodeJpeg(encodeJpeg(photograph(drawCard(l, person), c, shot), first));
  const { width: W, height: H } = saved;
  const rnd = random(shot * 41 + 9);
  const row = Math.floor(rnd() * l.rows);
  const y0 = Math.round((l.rowTop + row * l.rowPitch) * H) - 2;
  const size = Math.round(l.glyph * H);
  const x0 = Math.round(0.49 * W);
  const x1 = Math.round((0.75 + rnd() * 0.19) * W);
  // The patch: the paper's colour sampled next to it, new glyphs on top.
  const o = (y0 * W + x0 - 4) * 4;
  const paper = [saved.data[o] as number, saved.data[o + 1] as number, saved.data[o + 2] as number];
  for (let y = y0; y < y0 + size + 4; y++) for (let x = x0; x < x1; x++) put(saved, x, y, paper);
  drawGlyphs(saved, rnd, x0 + 2, y0 + 2, x1 - 4, size);
  return encodeJpeg(saved, second);
}

/** Another person's card shown again: re-saved, shifted a few pixels, maybe scaled a little. */
export function reusedCard(original: Buffer, shot: number): Buffer {
  const rnd = random(shot * 7 + 1);
  const src = decodeJpeg(original);
  const { width: W, height: H } = src;
  const dx = Math.round((rnd() - 0.5) * 8);
  const dy = Math.round((rnd() - 0.5) * 8);
  const scale = 1 + (rnd() - 0.5) * 0.04;
  const out: Rgba = { width: W, height: H, data: new Uint8Array(W * H * 4) };
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const sx = Math.min(W - 1, Math.max(0, Math.round((x - W / 2) * scale + W / 2 + dx)));
      const sy = Math.min(H - 1, Math.max(0, Math.round((y - H / 2) * scale + H / 2 + dy)));
      const o = (sy * W + sx) * 4;
      put(out, x, y, [src.data[o] as number, src.data[o + 1] as number, src.data[o + 2] as number]);
    }
  return withExif(encodeJpeg(out, 70 + Math.floor(rnd() * 25)), PHONE);
}

/** Card of `person` with the portrait area of `donor`'s card (same layout) pasted over it. */
export function swappedPhoto(l: Layout, person: number, donor: number): Buffer {
  const target = decodeJpeg(honestPhoto(l, person));
  const source = decodeJpeg(honestPhoto(l, donor));
  const { width: W, height: H } = target;
  for (let y = Math.round(0.2 * H); y < Math.round(0.75 * H); y++)
    for (let x = Math.round(0.05 * W); x < Math.round(0.3 * W); x++) {
      const o = (y * W + x) * 4;
      put(target, x, y, [
        source.data[o] as number,
        source.data[o + 1] as number,
        source.data[o + 2] as number,
      ]);
    }
  return encodeJpeg(target, 90 + Math.floor(random(person)() * 6));
}

export type HoldoutKind =
  | 'honest'
  | 'honest_forwarded'
  | 'spliced_plain'
  | 'spliced_patterned'
  | 'reused_card'
  | 'swapped_photo';

export interface HoldoutCase {
  kind: HoldoutKind;
  forged: boolean;
  personId: string;
  image: Buffer;
  /** The tenant's images analysed before this one (the reuse index). */
  indexed: { personId: string; image: Buffer }[];
}

/**
 * One tenant per seed: a layout, a cohort of `cohort` honest workers (each indexed as they
 * onboard), then the forged and honest probes against that index.
 */
export function holdoutTenant(
  seed: number,
  cohort: number,
): { cohort: HoldoutCase[]; probes: HoldoutCase[] } {
  const l = layout(seed);
  const base = seed * 1000;
  const workers = Array.from({ length: cohort }, (_, i) => ({
    personId: `per_${base + i}`,
    image: honestPhoto(l, base + i),
  }));
  const cohortCases: HoldoutCase[] = workers.map((w, i) => ({
    kind: 'honest',
    forged: false,
    ...w,
    indexed: workers.slice(0, i),
  }));
  const rnd = random(seed * 5 + 3);
  const plain: Layout = { ...l, paper: 'plain' };
  const first = 60 + Math.floor(rnd() * 16);
  const second = 88 + Math.floor(rnd() * 8);
  const victim = workers[Math.floor(rnd() * workers.length)] as (typeof workers)[number];
  const donor = workers[Math.floor(rnd() * workers.length)] as (typeof workers)[number];
  const probes: HoldoutCase[] = [
    {
      kind: 'honest_forwarded',
      forged: false,
      personId: `per_${base + 900}`,
      image: forwarded(honestPhoto(l, base + 900), 60 + Math.floor(rnd() * 20)),
      indexed: workers,
    },
    {
      kind: 'spliced_plain',
      forged: true,
      personId: `per_${base + 901}`,
      image: splicedText(plain, base + 901, first, second),
      indexed: workers,
    },
    {
      kind: 'spliced_patterned',
      forged: true,
      personId: `per_${base + 902}`,
      image: splicedText(l, base + 902, 60 + Math.floor(rnd() * 26), 88 + Math.floor(rnd() * 8)),
      indexed: workers,
    },
    {
      kind: 'reused_card',
      forged: true,
      personId: `per_${base + 903}`,
      image: reusedCard(victim.image, base + 903),
      indexed: workers,
    },
    {
      kind: 'swapped_photo',
      forged: true,
      personId: `per_${base + 904}`,
      image: swappedPhoto(l, base + 904, Number(donor.personId.slice(4))),
      indexed: workers,
    },
  ];
  return { cohort: cohortCases, probes };
}
