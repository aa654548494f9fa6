// The forgery analysis (SPEC O3): the scoring rules table by table, the reuse index's
// bands, and every case of the generated labelled set caught or passed for its reason.
import { describe, expect, it } from 'vitest';
import {
  confirmedReuseConfidence,
  DEFAULT_FORGERY_THRESHOLD,
  drivers,
  errorLevelSignal,
  flashSignal,
  hashBands,
  lightingSignal,
  metadataSignals,
  REUSE_CONFIRM,
  REUSE_DISTANCE,
  resamplingPeak,
  resamplingSignal,
  reuseMatches,
  riskScore,
  type Signal,
  strengthAt,
} from '../../functions/onboarding/forgery.ts';
import { measureImage, reuseSignals } from '../../functions/onboarding/forgery-analysis.ts';
import {
  angleBetween,
  decodeImage,
  errorLevel,
  type GrayImage,
  hammingDistance,
  ijgLumaTable,
  largestGroup,
  PRINT_SIDE,
  printSimilarity,
  type RgbaImage,
  secondDifferenceSpectrum,
} from '../../functions/onboarding/image-signals.ts';
import {
  forwarded,
  honestPhoto,
  layout,
  reusedCard,
  splicedText,
  swappedPhoto,
} from '../support/forgery-holdout.ts';
import { decodeJpeg, encodeJpeg } from '../support/forgery-images.ts';
import { analyseCase, type CaseKind, labelledSet } from '../support/forgery-set.ts';

describe('risk score', () => {
  const s = (code: Signal['code'], confidence = 1): Signal => ({ code, confidence });
  it.each([
    [[], 0],
    [[s('no_camera_metadata')], 10],
    [[s('card_reused')], 95],
    [[s('photo_reused', 0.5)], 45],
    [[s('editing_software'), s('no_camera_metadata')], 64],
    [[s('error_level_inconsistent'), s('no_camera_metadata')], 73],
    [[s('lighting_inconsistent')], 25],
    [[s('seal_flat_under_flash')], 65],
    [[s('photo_resampled')], 75],
    [[s('face_mismatch')], 40],
    [[s('edited_after_capture', 0.5)], 13],
    [[s('card_reused', 2)], 95], // confidence is clamped to 0–1
    [[s('card_reused', -1)], 0],
  ])('%j → %i', (signals, risk) => {
    expect(riskScore(signals)).toBe(risk);
  });

  it('lets no weak signal reach the review threshold alone, and orders drivers by weight × confidence', () => {
    expect(DEFAULT_FORGERY_THRESHOLD).toBe(60);
    for (const code of [
      'no_camera_metadata',
      'edited_after_capture',
      'face_mismatch',
      'lighting_inconsistent',
    ] as const)
      expect(riskScore([s(code)])).toBeLessThan(DEFAULT_FORGERY_THRESHOLD);
    expect(
      drivers([s('no_camera_metadata'), s('photo_reused', 0.6), s('editing_software')]).map((d) => d.code),
    ).toEqual(['editing_software', 'photo_reused', 'no_camera_metadata']);
  });
});

describe('signals from measurements', () => {
  it.each([
    [{ isJpeg: true, make: 'HUAWEI', model: 'Mate 60' }, []],
    [{ isJpeg: true }, ['no_camera_metadata']],
    [{ isJpeg: false }, []],
    [{ isJpeg: true, make: 'Apple', software: 'Adobe Photoshop 25.0 (Windows)' }, ['editing_software']],
    [{ isJpeg: true, model: 'X', software: '美图秀秀' }, ['editing_software']],
    [{ isJpeg: true, make: 'Apple', software: '17.1.2' }, []],
    [{ isJpeg: true, make: 'A', takenAt: '2026-01-01T08:00:00Z', modifiedAt: '2026-01-01T08:30:00Z' }, []],
    [
      { isJpeg: true, make: 'A', takenAt: '2026-01-01T08:00:00Z', modifiedAt: '2026-01-03T08:00:00Z' },
      ['edited_after_capture'],
    ],
  ])('metadata %j → %j', (m, codes) => {
    expect(metadataSignals(m).map((x) => x.code)).toEqual(codes);
  });

  it('scales the edit delay, the error-level region, the lighting angle and the flash response', () => {
    expect(
      metadataSignals({
        isJpeg: false,
        takenAt: '2026-01-01T00:00:00Z',
        modifiedAt: '2026-01-01T12:00:00Z',
      })[0]?.confidence,
    ).toBe(0.5);
    expect(errorLevelSignal(5)).toBeUndefined();
    expect(errorLevelSignal(6)?.confidence).toBe(0.375);
    expect(errorLevelSignal(8)?.confidence).toBe(0.5);
    expect(errorLevelSignal(16)?.confidence).toBe(1);
    expect(errorLevelSignal(40)?.confidence).toBe(1);
    expect(errorLevelSignal(80, { x: 0.4, y: 0.55, w: 0.45, h: 0.08 })?.detail).toEqual({
      blocks: 80,
      x: 40,
      y: 55,
      w: 45,
      h: 8,
    });
    const lit = (angle: number, strength: number, coherence = 0.3) => ({ angle, strength, coherence });
    expect(lightingSignal(lit(0, 1), lit(60, 0.1), angleBetween)).toBeUndefined();
    expect(lightingSignal(lit(0, 1), lit(75, 0.1), angleBetween)?.confidence).toBe(0.5);
    expect(lightingSignal(lit(170, 1), lit(-100, 0.1), angleBetween)?.detail).toEqual({ degrees: 90 });
    expect(lightingSignal(lit(0, 0.29), lit(180, 1), angleBetween)).toBeUndefined();
    expect(lightingSignal(lit(0, 1, 0.19), lit(180, 1), angleBetween)).toBeUndefined();
    expect(lightingSignal(lit(0, 1, 0.2), lit(180, 1), angleBetween)?.confidence).toBe(1);
    expect(lightingSignal(lit(0, 1), lit(180, 0.04), angleBetween)).toBeUndefined();
    const flash = { sealPixels: 500, sealGain: 1.2, paperGain: 1.2, sealHighlights: 0 };
    expect(flashSignal(flash)?.confidence).toBe(1);
    expect(flashSignal({ ...flash, sealPixels: 199 })).toBeUndefined();
    expect(flashSignal({ ...flash, sealHighlights: 0.3 })).toBeUndefined();
    expect(flashSignal({ ...flash, sealGain: 1.0 })).toBeUndefined();
    expect(flashSignal({ ...flash, sealGain: 1.32 })?.confidence).toBeCloseTo(0.5, 5);
  });
});

describe('error level (JPEG ghosts in the DCT domain)', () => {
  const ela = (bytes: Buffer) => errorLevel(decodeImage(bytes) as RgbaImage);

  it('scales the IJG table as libjpeg and jpeg-js do', () => {
    expect(ijgLumaTable(50).slice(0, 4)).toEqual([16, 11, 10, 16]);
    expect(ijgLumaTable(90).slice(0, 4)).toEqual([3, 2, 2, 3]);
    expect(ijgLumaTable(10).slice(0, 4)).toEqual([80, 55, 50, 80]);
    expect(ijgLumaTable(100).every((q) => q === 1)).toBe(true);
    expect(ijgLumaTable(1)[60]).toBe(255);
  });

  it('groups cells that lie at most two apart', () => {
    // x . x . . . x .    the two on the left are 2 apart (one group); the right one is 4 away.
    const row = Uint8Array.from([1, 0, 1, 0, 0, 0, 1, 0]);
    expect(largestGroup(row, 8, 1, 2)).toEqual([0, 2]);
    expect(largestGroup(row, 8, 1, 1)).toEqual([0]);
    // Diagonal neighbours count: (1,0) and (0,1) are one apart.
    expect(largestGroup(Uint8Array.from([0, 1, 1, 0]), 2, 2, 1)).toHaveLength(2);
    expect(largestGroup(new Uint8Array(12), 6, 2, 2)).toEqual([]);
  });

  // Finding 6: text pasted on a plain, low-detail card, saved at 60 then at 92 by the editor.
  it.each([
    [60, 92],
    [65, 90],
    [70, 95],
  ])('finds a line pasted on a plain card first saved at %d, then at %d', (first, second) => {
    const plain = { ...layout(3), paper: 'plain' as const };
    const e = ela(splicedText(plain, 3901, first, second));
    // Neighbouring qualities share most steps: the ghost is found within a step or two.
    expect(Math.abs(e.ghostQuality - first)).toBeLessThanOrEqual(2);
    expect(errorLevelSignal(e.undipped, e.worst)?.confidence).toBe(1);
    // The group is where the line was pasted: the text half of the card.
    expect(e.worst?.x).toBeGreaterThan(0.45);
  });

  it.each([1, 2, 3, 4])('finds nothing on an honest photo, saved once or forwarded (layout %d)', (seed) => {
    const l = layout(seed);
    for (const bytes of [honestPhoto(l, seed * 1000), forwarded(honestPhoto(l, seed * 1000 + 1), 70)])
      expect(errorLevelSignal(ela(bytes).undipped)).toBeUndefined();
  });

  it('reports no ghost for a picture never saved as a JPEG before', () => {
    const flat = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(200) };
    expect(errorLevel(flat)).toEqual({ ghostQuality: 0, informative: 0, undipped: 0 });
    // A one-time save is its own ghost, and every block dips there.
    const once = ela(encodeJpeg(decodeJpeg(honestPhoto(layout(2), 2000)), 77));
    expect(once.ghostQuality).toBe(77);
    expect(once.undipped).toBeLessThanOrEqual(1);
  });
});

describe('reuse index', () => {
  it('deals a 64-bit hash out into 4 bands of 16 bits, so hashes ≤ 3 bits apart share a band', () => {
    expect(hashBands('0123456789abcdef')).toEqual(['0:ff', '1:f0f', '2:3333', '3:5555']);
    expect(hashBands('ffffffffffffffff')).toEqual(['0:ffff', '1:ffff', '2:ffff', '3:ffff']);
    // The first three bits (one in each of bands 0–2) differ: band 3 still matches.
    const a = '0000000000000000';
    expect(hammingDistance(a, 'e000000000000000')).toBe(3);
    expect(hashBands('e000000000000000').filter((band) => hashBands(a).includes(band))).toEqual(['3:0']);
    // A fourth, in band 3: nothing shared, as the pigeonhole allows beyond 3.
    expect(hashBands('f000000000000000').some((band) => hashBands(a).includes(band))).toBe(false);
  });

  it('finds other people’s images within the distance, nearest first, once per certificate', () => {
    const hash = '0000000000000000';
    const matches = reuseMatches(
      [
        { personId: 'me', certificateId: 'c0', hash },
        { personId: 'p1', certificateId: 'c1', hash: '000000000000003f' }, // 6 bits
        { personId: 'p2', certificateId: 'c2', hash: '0000000000000001' }, // 1 bit
        { personId: 'p2', certificateId: 'c2', hash: '0000000000000001' },
        { personId: 'p3', certificateId: 'c3', hash: '00000000000001ff' }, // 9 bits
        { personId: 'p4', certificateId: 'c4', hash: '00000000000000ff' }, // 8 bits
      ],
      hash,
      'me',
      hammingDistance,
      REUSE_DISTANCE.card,
    );
    expect(matches.map((m) => [m.personId, m.distance])).toEqual([
      ['p2', 1],
      ['p1', 6],
      ['p4', 8],
    ]);
    expect(REUSE_DISTANCE).toEqual({ card: 8, photo: 4 });
    expect(REUSE_CONFIRM.card).toEqual({ confirm: 0.65, sure: 0.75 });
    expect(confirmedReuseConfidence('card', 0.64)).toBeUndefined();
    expect(confirmedReuseConfidence('card', Number.NaN)).toBeUndefined();
    expect(confirmedReuseConfidence('card', 0.65)).toBe(0.75);
    expect(confirmedReuseConfidence('card', 0.7)).toBeCloseTo(0.875, 5);
    expect(confirmedReuseConfidence('card', 0.75)).toBe(1);
    expect(confirmedReuseConfidence('card', 0.9)).toBe(1);
    expect(confirmedReuseConfidence('photo', 0.89)).toBeUndefined();
    expect(confirmedReuseConfidence('photo', 0.9)).toBe(0.75);
    expect(confirmedReuseConfidence('photo', 0.95)).toBe(1);
  });
});

describe('resampling', () => {
  // A textured strip (seeded noise), and the same enlarged 2× by linear interpolation.
  const noise = (n: number) => {
    let a = 7;
    return Array.from({ length: n }, () => {
      a = (a * 1103515245 + 12345) % 2 ** 31;
      return (a / 2 ** 31) * 40;
    });
  };
  const image = (row: number[], height = 40): GrayImage => ({
    width: row.length,
    height,
    data: Float64Array.from({ length: row.length * height }, (_, i) => row[i % row.length] as number),
  });
  const original = noise(120);
  const enlarged = Array.from({ length: 240 }, (_, x) =>
    x % 2
      ? ((original[(x - 1) / 2] as number) + (original[Math.min(119, (x + 1) / 2)] as number)) / 2
      : (original[x / 2] as number),
  );

  it('finds the interpolation period of an enlarged region and none in a captured one', () => {
    const peak = resamplingPeak([secondDifferenceSpectrum(image(enlarged), 'x')]);
    expect(peak.frequency).toBeCloseTo(0.5, 2);
    expect(peak.strength).toBeGreaterThan(20);
    expect(resamplingPeak([secondDifferenceSpectrum(image(noise(240)), 'x')]).strength).toBeLessThan(9);
    // Along the other axis, every row is the same: nothing repeats.
    expect(resamplingPeak([secondDifferenceSpectrum(image(enlarged), 'y')]).strength).toBeLessThan(9);
  });

  it('leaves out the JPEG grid and the low frequencies, and reads a strength at a frequency', () => {
    const axis = (f: number[], s: number[]) => ({ frequencies: f, strengths: s });
    // Bins 0.01 apart: the picture's own structure (0.05), JPEG's grid (1/8, 2/8, 3/8).
    const f = [0.01, 0.05, 0.1, 0.125, 0.2, 0.25, 0.375, 0.5];
    const s = [1, 50, 1, 40, 2, 30, 20, 1.5];
    expect(resamplingPeak([axis(f, s)])).toEqual({ frequency: 0.2, strength: 2 });
    expect(resamplingPeak([axis(f, s), axis([0.01, 0.5], [1, 12])])).toEqual({
      frequency: 0.5,
      strength: 12,
    });
    expect(strengthAt([axis([0.1, 0.2, 0.3], [1, 7, 3]), axis([0.1, 0.2, 0.3], [2, 5, 9])], 0.21)).toBe(7);
  });

  it.each([
    [8.9, 0, undefined],
    [9, 0, 0.6],
    [10, 0, 0.8],
    [11, 0, 1],
    [30, 10, 1],
    [12, 6, 1],
    [12, 6.1, undefined], // the whole card repeats as much: the camera, not an enlargement
  ])('a peak of %d against the card’s %d → confidence %s', (strength, card, confidence) => {
    const s = resamplingSignal({ frequency: 0.5, strength }, card);
    if (confidence === undefined) expect(s).toBeUndefined();
    else {
      expect(s?.confidence).toBeCloseTo(confidence, 5);
      expect(s?.detail).toEqual({ period: 2, strength: Math.round(strength * 10) / 10 });
    }
  });
});

describe('reuse confirmed by a full comparison (finding 7)', () => {
  const person = (l: number, i: number) => ({
    personId: `per_${l}_${i}`,
    image: honestPhoto(layout(l), l * 1000 + i),
  });

  // Pairs of different, honest people of one layout whose hashes fall within the reuse distance.
  it.each([
    [1, 0, 1, 'photo'],
    [4, 1, 7, 'photo'],
    [5, 1, 15, 'card'],
  ] as const)(
    'does not take layout %d’s workers %d and %d for one (%s within the hash distance)',
    async (l, a, b, kind) => {
      const first = person(l, a);
      const second = { ...person(l, b), indexed: [first] };
      const { measured, reuse, signals } = await analyseCase(second);
      const theirs = (await measureImage(first.image)).hashes as { card: string; photo: string };
      expect(hammingDistance(measured.hashes?.[kind] as string, theirs[kind])).toBeLessThanOrEqual(
        REUSE_DISTANCE[kind],
      );
      expect(reuse).toEqual([]);
      expect(riskScore(signals)).toBeLessThan(DEFAULT_FORGERY_THRESHOLD);
    },
  );

  it('confirms a card shown again and a portrait copied from another card, naming the original', async () => {
    const l = layout(2);
    const original = person(6, 3);
    const reused = await analyseCase({
      personId: 'per_x',
      image: reusedCard(original.image, 6903),
      indexed: [original],
    });
    expect(reused.reuse).toEqual([
      expect.objectContaining({
        code: 'card_reused',
        detail: expect.objectContaining({ personId: original.personId }),
      }),
    ]);
    expect(riskScore(reused.signals)).toBeGreaterThanOrEqual(DEFAULT_FORGERY_THRESHOLD);
    const donor = person(2, 5);
    const swapped = await analyseCase({
      personId: 'per_y',
      image: swappedPhoto(l, 2904, 2005),
      indexed: [donor],
    });
    expect(swapped.reuse.map((s) => [s.code, s.confidence, s.detail?.personId])).toEqual([
      ['photo_reused', 1, donor.personId],
    ]);
  });

  it('confirms nothing when the other image’s prints are not kept', async () => {
    const original = person(2, 3);
    const measured = await measureImage(reusedCard(original.image, 2903));
    const theirs = await measureImage(original.image);
    const candidates = {
      card: [{ personId: original.personId, certificateId: 'c', hash: theirs.hashes?.card as string }],
      photo: [],
    };
    const asked: unknown[] = [];
    const signals = await reuseSignals(measured as never, 'per_x', candidates, async (c) => {
      asked.push(c);
      return undefined;
    });
    expect(asked).toHaveLength(1);
    expect(signals).toEqual([]);
  });

  it('compares prints: the same print 1, its negative or a flat print 0', () => {
    const print = Int8Array.from({ length: PRINT_SIDE * PRINT_SIDE }, (_, i) => ((i * 7919) % 61) - 30);
    const negative = Int8Array.from(print, (v) => -v);
    expect(printSimilarity(print, print, 1)).toBeCloseTo(1, 5);
    expect(printSimilarity(print, print, 4)).toBeCloseTo(1, 5);
    expect(printSimilarity(print, negative, 1)).toBe(0);
    expect(printSimilarity(print, new Int8Array(print.length), 4)).toBe(0);
    expect(printSimilarity(print, new Int8Array(10), 1)).toBe(0);
  });
});

describe('the labelled set', () => {
  const expected: Record<CaseKind, string[]> = {
    clean: [],
    recompressed: [],
    flash_real_seal: [],
    pasted_text: ['error_level_inconsistent'],
    reused_card: ['card_reused'],
    photo_swapped: ['photo_reused'],
    relit_photo: ['lighting_inconsistent'],
    resampled_photo: ['photo_resampled'],
    flash_printed_seal: ['seal_flat_under_flash'],
  };

  it('catches every forged case for its reason and passes every genuine one', async () => {
    for (const c of labelledSet([1])) {
      const { signals } = await analyseCase(c);
      const codes = signals.map((s) => s.code).filter((code) => code !== 'no_camera_metadata');
      expect({ kind: c.kind, codes }).toEqual({
        kind: c.kind,
        codes: expect.arrayContaining(expected[c.kind]),
      });
      const risk = riskScore(signals);
      // A portrait lit from elsewhere is reported, but locks only with another signal beside it.
      expect({ kind: c.kind, flagged: risk >= DEFAULT_FORGERY_THRESHOLD }).toEqual({
        kind: c.kind,
        flagged: c.forged && c.kind !== 'relit_photo',
      });
      if (!c.forged) expect({ kind: c.kind, codes }).toEqual({ kind: c.kind, codes: [] });
    }
  }, 120_000);

  it('reads nothing from bytes that are not an image', async () => {
    expect(await measureImage(Buffer.from('not an image'))).toEqual({ readable: false, signals: [] });
  });
});
