// The special-work types of GB 30871-2022 (化学品生产单位特殊作业安全规范) as data: which
// certificates each role on a ticket needs, how long a permit may run per grade, and whether
// a gas analysis must precede the work. The standard's text was not at hand: the numbers come
// from secondary sources (SPEC.md) and are defaults a tenant may only make stricter.
import { WORK_TYPES } from '../../schemas/gates.ts';
import type { Scheme } from '../certificates/scheme-rules.ts';

/** The types are the work types the gates already record (one list, in schemas/gates.ts). */
export const TICKET_TYPES = WORK_TYPES;
export type TicketType = (typeof WORK_TYPES)[number];

/** A certificate that qualifies: scheme and category (item), any of which will do. */
export interface Qualification {
  scheme: Scheme;
  category: string;
}

export interface TicketTypeRule {
  type: TicketType;
  title: string;
  /** Grades and the longest a permit of that grade may run; null: the type has no grades. */
  grades: Record<string, { maxHours: number | null }> | null;
  /** Longest permit without grades; null: no limit known from the standard (a tenant setting). */
  maxHours: number | null;
  /** A gas analysis within this many minutes before the work starts; null: none required. */
  gasAnalysisMinutesBefore: number | null;
  /** Roles on the ticket that need a certificate, and the certificates that qualify. */
  qualifications: Record<string, Qualification[]>;
  // Every type needs a guardian (监护人) in this version: no per-type flag until one does not.
  source: string;
  confidence: 'high' | 'medium' | 'low';
}

const MEM = (category: string): Qualification => ({ scheme: 'MEM', category });
const SAMR = (category: string): Qualification => ({ scheme: 'SAMR', category });
const MOHURD = (category: string): Qualification => ({ scheme: 'MOHURD', category });

export const TICKET_TYPE_RULES: Record<TicketType, TicketTypeRule> = {
  hot_work: {
    type: 'hot_work',
    title: '动火作业 (hot work)',
    grades: { special: { maxHours: 8 }, '1': { maxHours: 8 }, '2': { maxHours: 72 } },
    maxHours: null,
    gasAnalysisMinutesBefore: 30,
    qualifications: { welder: [MEM('welding')] },
    source:
      'GB 30871-2022 via secondary sources: special and grade-1 permits ≤ 8 h (one source: grade 1 ≤ 24 h), grade 2 ≤ 72 h; gas analysis ≤ 30 min before; a guardian throughout',
    confidence: 'medium',
  },
  confined_space: {
    type: 'confined_space',
    title: '受限空间作业 (confined space entry)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: 30,
    qualifications: {},
    source:
      'GB 30871-2022 via secondary sources: gas analysis ≤ 30 min before entry (oxygen 19.5–21 %); a guardian at the entrance',
    confidence: 'medium',
  },
  blind_plate: {
    type: 'blind_plate',
    title: '盲板抽堵作业 (blind plate insertion/removal)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    qualifications: {},
    source: 'GB 30871-2022 (type listed in SPEC.md; limits not at hand: tenant settings)',
    confidence: 'low',
  },
  work_at_height: {
    type: 'work_at_height',
    title: '高处作业 (work at height)',
    grades: {
      '1': { maxHours: null },
      '2': { maxHours: null },
      '3': { maxHours: null },
      special: { maxHours: null },
    },
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    qualifications: { worker: [MEM('height'), MOHURD('scaffolder')] },
    source:
      'GB 30871-2022 (grades by height); MEM Order 30 annex (高处作业) or MOHURD 建筑架子工 for the workers; permit limits not at hand: tenant settings',
    confidence: 'medium',
  },
  lifting: {
    type: 'lifting',
    title: '吊装作业 (lifting)',
    grades: { '1': { maxHours: null }, '2': { maxHours: null }, '3': { maxHours: null } },
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    qualifications: {
      operator: [SAMR('Q2'), MOHURD('crane_driver')],
      signaller: [SAMR('Q1'), MOHURD('signaller_rigger')],
    },
    source:
      'GB 30871-2022 (grades by load); TSG Z6001-2019 Q2 crane operator / Q1 signaller, or MOHURD crane driver / signaller-rigger',
    confidence: 'medium',
  },
  temporary_electricity: {
    type: 'temporary_electricity',
    title: '临时用电作业 (temporary electricity)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    qualifications: { electrician: [MEM('electrical'), MOHURD('builder_electrician')] },
    source: 'GB 30871-2022; MEM Order 30 annex (电工作业) or MOHURD 建筑电工 for the electrician',
    confidence: 'medium',
  },
  excavation: {
    type: 'excavation',
    title: '动土作业 (excavation)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    qualifications: {},
    source: 'GB 30871-2022 (type listed in SPEC.md; limits not at hand: tenant settings)',
    confidence: 'low',
  },
  road_closure: {
    type: 'road_closure',
    title: '断路作业 (road closure)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    qualifications: {},
    source: 'GB 30871-2022 (type listed in SPEC.md; limits not at hand: tenant settings)',
    confidence: 'low',
  },
};

/** A tenant's own limit replaces the standard's only when stricter (shorter), never looser. */
export function stricterHours(standard: number | null, tenant: number | undefined): number | null {
  if (tenant === undefined) return standard;
  return standard === null ? tenant : Math.min(standard, tenant);
}
