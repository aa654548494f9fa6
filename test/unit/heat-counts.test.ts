import { describe, expect, it } from 'vitest';
import {
  addCounts,
  type Counted,
  counterDifferences,
  countsUnder,
  heatDeltas,
  recount,
  sameCounting,
} from '../../functions/domain/heat-counts.ts';

const at = (siteId: string, color: Counted['color'], categories: string[] = []): Counted => ({
  siteId,
  color,
  categories,
});

describe('what a move does to the site counters', () => {
  it.each([
    ['a check-in', undefined, at('A', 'green', ['N1']), { A: { 'color#green': 1, 'cat#N1#green': 1 } }],
    ['a check-out', at('A', 'green', ['N1']), undefined, { A: { 'color#green': -1, 'cat#N1#green': -1 } }],
    [
      'a move to another site',
      at('A', 'yellow', ['Q2']),
      at('B', 'yellow', ['Q2']),
      { A: { 'color#yellow': -1, 'cat#Q2#yellow': -1 }, B: { 'color#yellow': 1, 'cat#Q2#yellow': 1 } },
    ],
    [
      'turning red on site',
      at('A', 'green', ['N1', 'Q2']),
      at('A', 'red', ['N1', 'Q2']),
      {
        A: {
          'color#green': -1,
          'color#red': 1,
          'cat#N1#green': -1,
          'cat#N1#red': 1,
          'cat#Q2#green': -1,
          'cat#Q2#red': 1,
        },
      },
    ],
    [
      'a new category on site',
      at('A', 'green', ['N1']),
      at('A', 'green', ['N1', 'Q1']),
      { A: { 'cat#Q1#green': 1 } },
    ],
    ['the same again (a repeated scan)', at('A', 'green', ['N1']), at('A', 'green', ['N1']), {}],
    ['nobody, nowhere', undefined, undefined, {}],
    [
      'a category listed twice counts once',
      undefined,
      at('A', 'red', ['N1', 'N1']),
      { A: { 'color#red': 1, 'cat#N1#red': 1 } },
    ],
  ] as const)('%s', (_, from, to, expected) => {
    expect(Object.fromEntries(heatDeltas(from, to))).toEqual(expected);
    expect(sameCounting(from, to)).toBe(Object.keys(expected).length === 0);
  });
});

describe('what the map reads from a counter', () => {
  const counter = {
    'color#green': 5,
    'color#yellow': 2,
    'color#red': 1,
    'cat#N1#green': 3,
    'cat#N1#red': 1,
    'cat#Q2#yellow': 2,
  };
  it.each([
    ['no filter', {}, { total: 8, green: 5, yellow: 2, red: 1 }],
    ['red only', { color: 'red' }, { total: 1, green: 0, yellow: 0, red: 1 }],
    ['category N1', { category: 'N1' }, { total: 4, green: 3, yellow: 0, red: 1 }],
    ['category N1, green', { category: 'N1', color: 'green' }, { total: 3, green: 3, yellow: 0, red: 0 }],
    ['a category nobody holds', { category: 'Q9' }, { total: 0, green: 0, yellow: 0, red: 0 }],
    ['an empty counter', {}, { total: 0, green: 0, yellow: 0, red: 0 }, {}],
  ] as const)('%s', (_, filter, counts, c = counter) => {
    expect(countsUnder(c, filter)).toEqual(counts);
  });

  it('never shows a negative count, whatever a counter holds', () => {
    expect(countsUnder({ 'color#red': -2 })).toEqual({ total: 0, green: 0, yellow: 0, red: 0 });
  });
});

describe('the nightly recount', () => {
  it('adds up the people on site per site and tells where the counters differ', () => {
    const counted = recount([at('A', 'green', ['N1']), at('A', 'red', ['N1']), at('B', 'yellow')]);
    expect(Object.fromEntries(counted)).toEqual({
      A: { 'color#green': 1, 'cat#N1#green': 1, 'color#red': 1, 'cat#N1#red': 1 },
      B: { 'color#yellow': 1 },
    });
    const stored = new Map<string, Record<string, number>>([
      ['A', { 'color#green': 1, 'cat#N1#green': 1, 'color#red': 2, 'cat#N1#red': 1 }],
      ['C', { 'color#green': 0 }],
    ]);
    expect(counterDifferences(stored, counted)).toEqual([
      { siteId: 'A', attribute: 'color#red', stored: 2, counted: 1 },
      { siteId: 'B', attribute: 'color#yellow', stored: 0, counted: 1 },
    ]);
    expect(counterDifferences(counted, counted)).toEqual([]);
    // Reported in order of site, then attribute, whatever order the reads came in.
    const unordered = new Map<string, Record<string, number>>([
      ['Z', { 'color#red': 1, 'color#green': 1 }],
      ['M', { 'color#green': 2 }],
    ]);
    expect(counterDifferences(unordered, new Map()).map((d) => `${d.siteId} ${d.attribute}`)).toEqual([
      'M color#green',
      'Z color#green',
      'Z color#red',
    ]);
  });

  it('adds up the sites of one H3 cell', () => {
    expect(
      addCounts({ total: 3, green: 1, yellow: 1, red: 1 }, { total: 2, green: 2, yellow: 0, red: 0 }),
    ).toEqual({
      total: 5,
      green: 3,
      yellow: 1,
      red: 1,
    });
  });
});
