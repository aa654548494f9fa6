import { describe, expect, it } from 'vitest';
import { truncateText } from '../../functions/shared/text.ts';

const family = '👨‍👩‍👧‍👦'; // 7 code points, 11 UTF-16 units
// No lone surrogate (String.prototype.isWellFormed, without the ES2024 lib).
const wellFormed = (s: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('cutting text to a length', () => {
  it.each([
    ['short text', '张伟', 40, '张伟'],
    ['plain text', 'abcdef', 3, 'abc'],
    ['a cut inside a surrogate pair backs off', `ab${family}`, 3, 'ab'],
    ['a cut right after a joiner drops it', `${family}`, 3, '👨'],
    ['a rare CJK character (outside the BMP)', '𠀀𠀀𠀀', 3, '𠀀'],
  ])('%s', (_, text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
  });

  it('never leaves a half character, at any length', () => {
    const text = `${family.repeat(40)} 王𠀀明`;
    for (let max = 0; max <= text.length + 1; max++) {
      const cut = truncateText(text, max);
      expect(wellFormed(cut), String(max)).toBe(true);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(text.startsWith(cut)).toBe(true);
    }
  });
});
