// Operation categories and items per scheme, as data. Codes are stable English
// identifiers; names are the official Chinese titles.
import type { Scheme } from '../domain/scheme-rules.ts';

export interface CategoryDefinition {
  code: string;
  name: string;
  /** Operation items (sub-types); empty when the category has no items. */
  subTypes: Record<string, string>;
}

/** MEM Order No. 30, Annex 特种作业目录 (as amended 2015). */
export const MEM_CATEGORIES: Record<string, CategoryDefinition> = {
  electrical: {
    code: 'electrical',
    name: '电工作业',
    subTypes: { high_voltage: '高压电工作业', low_voltage: '低压电工作业', explosion_proof: '防爆电气作业' },
  },
  welding: {
    code: 'welding',
    name: '焊接与热切割作业',
    subTypes: { fusion_welding: '熔化焊接与热切割作业', pressure_welding: '压力焊作业', brazing: '钎焊作业' },
  },
  height: {
    code: 'height',
    name: '高处作业',
    subTypes: { scaffolding: '登高架设作业', installation_maintenance: '高处安装、维护、拆除作业' },
  },
  refrigeration: {
    code: 'refrigeration',
    name: '制冷与空调作业',
    subTypes: { operation: '制冷与空调设备运行操作作业', installation_repair: '制冷与空调设备安装修理作业' },
  },
  coal_mine: {
    code: 'coal_mine',
    name: '煤矿安全作业',
    subTypes: {
      safety_monitoring: '煤矿安全监测监控作业',
      gas_inspection: '煤矿瓦斯检查作业',
      safety_inspection: '煤矿安全检查作业',
      underground_electrical: '煤矿井下电气作业',
      underground_blasting: '煤矿井下爆破作业',
      shearer_operation: '煤矿采煤机(掘进机)操作作业',
      gas_drainage: '煤矿瓦斯抽采作业',
      outburst_prevention: '煤矿防突作业',
      water_exploration: '煤矿探放水作业',
      hoist_operation: '煤矿提升机操作作业',
    },
  },
  metal_mine: {
    code: 'metal_mine',
    name: '金属非金属矿山安全作业',
    subTypes: {
      ventilation: '金属非金属矿井通风作业',
      tailings: '尾矿作业',
      safety_inspection: '金属非金属矿山安全检查作业',
      hoist_operation: '金属非金属矿山提升机操作作业',
      support: '金属非金属矿山支柱作业',
      underground_electrical: '金属非金属矿山井下电气作业',
      drainage: '金属非金属矿山排水作业',
      blasting: '金属非金属矿山爆破作业',
    },
  },
  oil_gas: { code: 'oil_gas', name: '石油天然气安全作业', subTypes: { driller: '司钻作业' } },
  metallurgy: { code: 'metallurgy', name: '冶金(有色)生产安全作业', subTypes: { gas: '煤气作业' } },
  hazardous_chemicals: {
    code: 'hazardous_chemicals',
    name: '危险化学品安全作业',
    subTypes: {
      phosgenation: '光气及光气化工艺作业',
      chlor_alkali_electrolysis: '氯碱电解工艺作业',
      chlorination: '氯化工艺作业',
      nitration: '硝化工艺作业',
      ammonia_synthesis: '合成氨工艺作业',
      cracking: '裂解(裂化)工艺作业',
      fluorination: '氟化工艺作业',
      hydrogenation: '加氢工艺作业',
      diazotization: '重氮化工艺作业',
      oxidation: '氧化工艺作业',
      peroxidation: '过氧化工艺作业',
      amination: '胺基化工艺作业',
      sulfonation: '磺化工艺作业',
      polymerisation: '聚合工艺作业',
      alkylation: '烷基化工艺作业',
      chemical_instrumentation: '化工自动化控制仪表作业',
    },
  },
  fireworks: {
    code: 'fireworks',
    name: '烟花爆竹安全作业',
    subTypes: {
      pyrotechnic_composition: '烟火药制造作业',
      black_powder: '黑火药制造作业',
      fuse: '引火线制造作业',
      product_handling: '烟花爆竹产品涉药作业',
      storage: '烟花爆竹储存作业',
    },
  },
  other: { code: 'other', name: '安全监管总局认定的其他作业', subTypes: {} },
};

/**
 * TSG Z6001-2019 Annex A items (a selection of the operator items; confidence medium).
 * Unknown items are refused rather than guessed.
 */
export const SAMR_ITEMS: Record<string, string> = {
  A: '特种设备安全管理',
  G1: '工业锅炉司炉',
  G2: '电站锅炉司炉',
  G3: '锅炉水处理',
  R1: '快开门式压力容器操作',
  R2: '移动式压力容器充装',
  R3: '氧舱维护保养',
  P: '气瓶充装',
  D: '安全阀校验',
  T: '电梯修理',
  Q1: '起重机指挥',
  Q2: '起重机司机',
  N1: '叉车司机',
  N2: '观光车和观光列车司机',
  Y1: '大型游乐设施修理',
  Y2: '大型游乐设施操作',
  S1: '客运索道修理',
  S2: '客运索道司机',
};

/**
 * 2011 catalogue codes still printed on older cards, mapped onto the 2019 items. Codes that
 * exist in both catalogues with different meanings (e.g. N2) are not mapped: they are read
 * as 2019 codes. Source: secondary summaries of the 2019 transition table; confidence medium.
 */
export const SAMR_2011_CODE_MAP: Record<string, string> = {
  Q4: 'Q2', // 桥门式起重机司机
  Q5: 'Q2', // 塔式起重机司机
  Q6: 'Q2', // 门座式起重机司机
  Q8: 'Q2', // 流动式起重机司机
  Q9: 'Q2', // 升降机司机
};

export const MOHURD_ITEMS: Record<string, string> = {
  builder_electrician: '建筑电工',
  scaffolder: '建筑架子工',
  signaller_rigger: '建筑起重信号司索工',
  crane_driver: '建筑起重机械司机',
  crane_installer: '建筑起重机械安装拆卸工',
  gondola_installer: '高处作业吊篮安装拆卸工',
};

export type CategoryCheck =
  | { ok: true; category: string; subType?: string; mappedFrom?: string }
  | { ok: false; field: 'category' | 'subType'; allowed: string[] };

/**
 * Validates a (scheme, category, subType) triple and canonicalises it; for SAMR the
 * category is the item code and 2011 codes are mapped onto 2019 ones.
 */
export function checkCategory(scheme: Scheme, category: string, subType?: string): CategoryCheck {
  if (scheme === 'MEM') {
    const def = MEM_CATEGORIES[category];
    if (!def) return { ok: false, field: 'category', allowed: Object.keys(MEM_CATEGORIES) };
    if (subType === undefined) return { ok: true, category };
    if (!(subType in def.subTypes))
      return { ok: false, field: 'subType', allowed: Object.keys(def.subTypes) };
    return { ok: true, category, subType };
  }
  if (scheme === 'SAMR') {
    if (category in SAMR_ITEMS) return { ok: true, category };
    const mapped = SAMR_2011_CODE_MAP[category];
    if (mapped) return { ok: true, category: mapped, mappedFrom: category };
    return { ok: false, field: 'category', allowed: Object.keys(SAMR_ITEMS) };
  }
  if (category in MOHURD_ITEMS) return { ok: true, category };
  return { ok: false, field: 'category', allowed: Object.keys(MOHURD_ITEMS) };
}
