// Cells the product writes into CSV/XLSX files that people open in Excel or WPS. A value
// starting with = + - @ (or a tab/CR, which some importers strip first) is read as a
// formula: `=HYPERLINK(…)` in a site name would be a live link. Such values get a leading
// apostrophe, the spreadsheet convention for "this is text" (OWASP CSV injection).
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field: neutralised, then quoted when it holds a separator, quote or newline. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value); // a number is never a formula
  const text = neutralizeFormula(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
