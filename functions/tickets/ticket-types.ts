// The special-work types of GB 30871-2022 (化学品生产单位特殊作业安全规范) as data: which
// certificates each role on a ticket needs, how long a permit may run per grade, and whether
// a gas analysis must precede the work. The standard's text was not at hand: the numbers come
// from secondary sources (SPEC.md) and are defaults a tenant may only make stricter.
import { WORK_TYPES } from '../../schemas/gates.ts';
import { TICKET_ROLES, type TicketRole } from '../../schemas/tickets.ts';
import type { Scheme } from '../domain/scheme-rules.ts';

/** The types are the work types the gates already record (one list, in schemas/gates.ts). */
export const TICKET_TYPES = WORK_TYPES;
export type TicketType = (typeof WORK_TYPES)[number];

/** A certificate that qualifies: scheme and category (item), any of which will do. */
export interface Qualification {
  scheme: Scheme;
  category: string;
}

/**
 * What a role needs: any one of the certificates listed, or explicitly none, with the source
 * that says so (a fire watcher is trained on site, not certified under Order 30).
 */
export type RoleNeeds = { certificates: Qualification[] } | { certificates: 'none'; source: string };

export interface TicketTypeRule<T extends TicketType = TicketType> {
  type: T;
  title: string;
  /** Grades and the longest a permit of that grade may run; null: the type has no grades. */
  grades: Record<string, { maxHours: number | null }> | null;
  /** Longest permit without grades; null: no limit known from the standard (a tenant setting). */
  maxHours: number | null;
  /** A gas analysis within this many minutes before the work starts; null: none required. */
  gasAnalysisMinutesBefore: number | null;
  /** Every role a ticket of the type may name (TICKET_ROLES), and what each needs. */
  roles: Record<TicketRole<T>, RoleNeeds>;
  // Every type needs a guardian (监护人) in this version: no per-type flag until one does not.
  source: string;
  confidence: 'high' | 'medium' | 'low';
}

const MEM = (category: string): Qualification => ({ scheme: 'MEM', category });
const SAMR = (category: string): Qualification => ({ scheme: 'SAMR', category });
const MOHURD = (category: string): Qualification => ({ scheme: 'MOHURD', category });
const certified = (...certificates: Qualification[]): RoleNeeds => ({ certificates });
const uncertified = (source: string): RoleNeeds => ({ certificates: 'none', source });
const TRAINED =
  'GB 30871-2022: trained and briefed for the work on site; MEM Order 30 lists no special-operations certificate for it';

export const TICKET_TYPE_RULES: { [T in TicketType]: TicketTypeRule<T> } = {
  hot_work: {
    type: 'hot_work',
    title: '动火作业 (hot work)',
    grades: { special: { maxHours: 8 }, '1': { maxHours: 8 }, '2': { maxHours: 72 } },
    maxHours: null,
    gasAnalysisMinutesBefore: 30,
    roles: {
      // MEM 熔化焊接与热切割作业 covers cutting as well as welding.
      welder: certified(MEM('welding')),
      cutter: certified(MEM('welding')),
      fire_watcher: uncertified(
        'GB 30871-2022 监火人: trained in fire fighting on site; no special-operations certificate',
      ),
    },
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
    roles: { entrant: uncertified(TRAINED), rescuer: uncertified(TRAINED) },
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
    roles: { fitter: uncertified(TRAINED) },
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
    roles: {
      worker: certified(MEM('height'), MOHURD('scaffolder')),
      scaffolder: certified(MOHURD('scaffolder'), MEM('height')),
    },
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
    roles: {
      operator: certified(SAMR('Q2'), MOHURD('crane_driver')),
      signaller: certified(SAMR('Q1'), MOHURD('signaller_rigger')),
      // 司索工: the same TSG Q1 item (起重机指挥/司索) or MOHURD 司索信号工.
      rigger: certified(SAMR('Q1'), MOHURD('signaller_rigger')),
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
    roles: { electrician: certified(MEM('electrical'), MOHURD('builder_electrician')) },
    source: 'GB 30871-2022; MEM Order 30 annex (电工作业) or MOHURD 建筑电工 for the electrician',
    confidence: 'medium',
  },
  excavation: {
    type: 'excavation',
    title: '动土作业 (excavation)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    roles: {
      worker: uncertified(TRAINED),
      // An excavator is not special equipment under TSG; a site may ask for more (tenant rule).
      machine_operator: uncertified(
        'TSG 08-2017 lists no excavator item; GB 30871-2022: trained and briefed',
      ),
    },
    source: 'GB 30871-2022 (type listed in SPEC.md; limits not at hand: tenant settings)',
    confidence: 'low',
  },
  road_closure: {
    type: 'road_closure',
    title: '断路作业 (road closure)',
    grades: null,
    maxHours: null,
    gasAnalysisMinutesBefore: null,
    roles: { worker: uncertified(TRAINED) },
    source: 'GB 30871-2022 (type listed in SPEC.md; limits not at hand: tenant settings)',
    confidence: 'low',
  },
};

/** A tenant's own limit replaces the standard's only when stricter (shorter), never looser. */
export function stricterHours(standard: number | null, tenant: number | undefined): number | null {
  if (tenant === undefined) return standard;
  return standard === null ? tenant : Math.min(standard, tenant);
}

/** The roles a type allows, in the order the OpenAPI document lists them. */
export const rolesOf = (type: TicketType): readonly string[] => TICKET_ROLES[type];

/** The certificates a role on a ticket of the type needs (any one): none for an uncertified role or an unknown one. */
export function qualificationsFor(type: TicketType, role: string): Qualification[] {
  const needs = (TICKET_TYPE_RULES[type].roles as Record<string, RoleNeeds | undefined>)[role];
  return needs && needs.certificates !== 'none' ? needs.certificates : [];
}

/** A role the type does not know: the dispatch rules refuse it rather than check nothing. */
export const isRoleOf = (type: TicketType, role: string) => rolesOf(type).includes(role);
