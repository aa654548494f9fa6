// Who is on site, counted (SPEC X3): each site keeps counters by colour and by certificate
// category × colour, moved in the same transaction as the check-in, check-out or status
// change that moves them. The heat map then reads one counter item per site instead of
// every person on site. Pure: what to add where, and what a filter reads from a counter.
import type { Color } from './status.ts';

/** How a person on site is counted: where, in which colour, holding which categories. */
export interface Counted {
  siteId: string;
  color: Color;
  categories: string[];
}

export type Counter = Record<string, number>;

const COLORS: readonly Color[] = ['green', 'yellow', 'red'];

export const colorCount = (color: Color) => `color#${color}`;
export const categoryCount = (category: string, color: Color) => `cat#${category}#${color}`;

/** The counter attributes one person adds to their site's counter. */
export function countsFor(person: Omit<Counted, 'siteId'>): Counter {
  const out: Counter = { [colorCount(person.color)]: 1 };
  for (const category of new Set(person.categories)) out[categoryCount(category, person.color)] = 1;
  return out;
}

/**
 * What changes, per site, when a person counted as `from` becomes counted as `to` (either
 * absent: off site). Attributes whose change is zero are left out; so is a site with none.
 */
export function heatDeltas(from: Counted | undefined, to: Counted | undefined): Map<string, Counter> {
  const deltas = new Map<string, Counter>();
  const apply = (c: Counted | undefined, sign: 1 | -1) => {
    if (!c) return;
    const site = deltas.get(c.siteId) ?? {};
    for (const attr of Object.keys(countsFor(c))) site[attr] = (site[attr] ?? 0) + sign;
    deltas.set(c.siteId, site);
  };
  apply(from, -1);
  apply(to, 1);
  for (const [siteId, counter] of deltas) {
    for (const [attr, n] of Object.entries(counter)) if (n === 0) delete counter[attr];
    if (Object.keys(counter).length === 0) deltas.delete(siteId);
  }
  return deltas;
}

export interface HeatFilter {
  color?: Color;
  category?: string;
}

export interface SiteCounts {
  total: number;
  green: number;
  yellow: number;
  red: number;
}

/** A site's counts as the map shows them under a filter (colour, category or both: exact). */
export function countsUnder(counter: Counter, filter: HeatFilter = {}): SiteCounts {
  const of = (color: Color) => {
    if (filter.color && filter.color !== color) return 0;
    const n = filter.category ? counter[categoryCount(filter.category, color)] : counter[colorCount(color)];
    return Math.max(0, n ?? 0);
  };
  const [green, yellow, red] = COLORS.map(of) as [number, number, number];
  return { total: green + yellow + red, green, yellow, red };
}

export const addCounts = (a: SiteCounts, b: SiteCounts): SiteCounts => ({
  total: a.total + b.total,
  green: a.green + b.green,
  yellow: a.yellow + b.yellow,
  red: a.red + b.red,
});

/** The counters the people on site should add up to (the nightly recount). */
export function recount(onSite: Counted[]): Map<string, Counter> {
  const out = new Map<string, Counter>();
  for (const person of onSite) {
    const site = out.get(person.siteId) ?? {};
    for (const [attr, n] of Object.entries(countsFor(person))) site[attr] = (site[attr] ?? 0) + n;
    out.set(person.siteId, site);
  }
  return out;
}

/** Where stored counters and a recount disagree: site, attribute, stored and counted values. */
export function counterDifferences(
  stored: Map<string, Counter>,
  counted: Map<string, Counter>,
): { siteId: string; attribute: string; stored: number; counted: number }[] {
  const out: { siteId: string; attribute: string; stored: number; counted: number }[] = [];
  for (const siteId of [...new Set([...stored.keys(), ...counted.keys()])].sort()) {
    const s = stored.get(siteId) ?? {};
    const c = counted.get(siteId) ?? {};
    for (const attribute of [...new Set([...Object.keys(s), ...Object.keys(c)])].sort()) {
      const [sn, cn] = [s[attribute] ?? 0, c[attribute] ?? 0];
      if (sn !== cn) out.push({ siteId, attribute, stored: sn, counted: cn });
    }
  }
  return out;
}

/** Whether two countings are the same (no counter moves). */
export const sameCounting = (a: Counted | undefined, b: Counted | undefined) => heatDeltas(a, b).size === 0;
