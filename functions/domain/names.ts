// Comparing a holder's name with the registry's: identical, the same name written in
// pinyin/romanisation (张三 / Zhang San / SAN ZHANG), a former name, or different.
// Pure: the romanisation of Chinese characters is passed in (functions/verification/pinyin.ts,
// a ~450 KB dictionary that only name comparisons load).

/** A Chinese name's pinyin syllables, family name first, without tones. */
export type Romanise = (hanName: string) => string[];

export type NameMatch = 'same' | 'pinyin_variant' | 'former_name' | 'different';

const latin = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ü/g, 'v')
    .replace(/[^a-z]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);

function romanisations(name: string, romanise: Romanise): string[] {
  const hasHan = /\p{Script=Han}/u.test(name);
  if (!hasHan) return [latin(name).join('')];
  const syllables = romanise(name).map((s) => s.replace(/ü/g, 'v'));
  const [family = '', ...given] = syllables;
  // Chinese order (Zhang San) and Western order (San Zhang).
  return [[family, ...given].join(''), [...given, family].join('')];
}

export function compareNames(
  ours: string,
  theirs: string,
  theirFormerNames: string[],
  romanise: Romanise,
  /** Names our record kept when it was corrected: the registry may still know the old one. */
  ourFormerNames: readonly string[] = [],
): NameMatch {
  const a = ours.replace(/\s+/g, '');
  const b = theirs.replace(/\s+/g, '');
  if (a === b) return 'same';
  if (theirFormerNames.some((f) => f.replace(/\s+/g, '') === a)) return 'former_name';
  if (ourFormerNames.some((f) => f.replace(/\s+/g, '') === b)) return 'former_name';
  const ra = romanisations(a, romanise);
  const rb = romanisations(theirs, romanise);
  if (ra.some((x) => rb.includes(x))) return 'pinyin_variant';
  return 'different';
}
