// Comparing a holder's name with the registry's: identical, the same name written in
// pinyin/romanisation (张三 / Zhang San / SAN ZHANG), a former name, or different.
// pinyin-pro is a maintained dictionary-based converter (handles polyphonic surnames).
import { pinyin } from 'pinyin-pro';

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

function romanisations(name: string): string[] {
  const hasHan = /\p{Script=Han}/u.test(name);
  if (!hasHan) return [latin(name).join('')];
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' }).map((s) =>
    s.replace(/ü/g, 'v'),
  );
  const [family = '', ...given] = syllables;
  // Chinese order (Zhang San) and Western order (San Zhang).
  return [[family, ...given].join(''), [...given, family].join('')];
}

export function compareNames(ours: string, theirs: string, theirFormerNames: string[] = []): NameMatch {
  const a = ours.replace(/\s+/g, '');
  const b = theirs.replace(/\s+/g, '');
  if (a === b) return 'same';
  if (theirFormerNames.some((f) => f.replace(/\s+/g, '') === a)) return 'former_name';
  const ra = romanisations(a);
  const rb = romanisations(theirs);
  if (ra.some((x) => rb.includes(x))) return 'pinyin_variant';
  return 'different';
}
