// Cutting people's text to a length. `text.slice(0, n)` counts UTF-16 units and can cut an
// emoji or a rare CJK character (a surrogate pair) in half: the half is not valid Unicode,
// and a store that checks (DynamoDB, the emulator, a provider) refuses the whole request —
// a family emoji in a batch once made the product answer 503 as if it were down.

/** At most `max` UTF-16 units, never ending inside a surrogate pair or on a joiner. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose pair is cut off
  let out = text.slice(0, end);
  // A zero-width joiner or variation selector left at the end joins to nothing.
  while (/[\u200d\ufe0e\ufe0f]$/.test(out)) out = out.slice(0, -1);
  return out;
}
