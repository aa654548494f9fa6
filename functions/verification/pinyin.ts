// The romanisation name comparisons use (names.ts): pinyin-pro, a maintained dictionary-based
// converter that handles polyphonic surnames. Its dictionary is ~450 KB of code, so functions
// import this module on their first name comparison (composition root), not at cold start.
import { pinyin } from 'pinyin-pro';
import type { Romanise } from '../domain/names.ts';

export const pinyinSyllables: Romanise = (hanName) =>
  pinyin(hanName, { toneType: 'none', type: 'array', surname: 'head' });
