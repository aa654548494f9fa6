// The compliance radar (SPEC E4, the brief's "现状诊断"): a score 0–100 per area of a
// tenant's special-operations management, each with the figures behind it, and the three
// actions that would raise the overall picture most. Pure: computed from figures the
// product already keeps (the people's stored statuses and marks, their channel bindings).

export const RADAR_AREAS = [
  'certificate_validity',
  'review_timeliness',
  'cross_site_control',
  'subcontractor_quality',
  'notification_reach',
  'records_completeness',
  'violations',
] as const;
export type RadarArea = (typeof RADAR_AREAS)[number];

export interface RadarFacts {
  /** Current people (leavers left out). */
  people: number;
  /** Red for a certificate reason (expired, revoked, missing, vacuum, registry …). */
  redForCertificates: number;
  /** A review missed, or due within its urgent window. */
  reviewLate: number;
  /** Without a home site: no site answers for them, no permit is asked of them. */
  withoutHomeSite: number;
  subcontractorWorkers: number;
  subcontractorWorkersRed: number;
  /** With at least one notification channel bound. */
  reachable: number;
  /** Certificates in force, and those the registry has confirmed. */
  certificates: number;
  certificatesVerified: number;
  /** Suspended for training, or with their review at risk (the marks in force). */
  violationMarked: number;
  /** Confirmed violations in the last 90 days, and in the 90 days before them. */
  violationsRecent: number;
  violationsPrevious: number;
  /** People with a confirmed violation in the last 90 days. */
  peopleWithRecentViolations: number;
}

/**
 * How the violations move: 100 with none in the last 90 days; otherwise 50 when as many as
 * the 90 days before, rising to 100 as they halve and falling towards 0 as they multiply
 * (+1 on both sides so one violation after a clean quarter is not the end of the scale).
 */
export function violationsTrendScore(recent: number, previous: number): number {
  if (recent <= 0) return 100;
  return Math.min(100, Math.round((50 * (previous + 1)) / (recent + 1)));
}

export interface AreaScore {
  area: RadarArea;
  score: number;
  /** The figures the score comes from. */
  figures: Record<string, number>;
  /** How many records stand between the area and 100. */
  gap: number;
}

export interface RadarAction {
  area: RadarArea;
  action: string;
  count: number;
  /** Points the overall score would gain (the mean of the areas). */
  raises: number;
}

const share = (good: number, of: number) => (of <= 0 ? 100 : Math.round((100 * Math.max(0, good)) / of));

export function computeRadar(f: RadarFacts): { overall: number; areas: AreaScore[]; actions: RadarAction[] } {
  const areas: AreaScore[] = [
    {
      area: 'certificate_validity',
      score: share(f.people - f.redForCertificates, f.people),
      figures: { people: f.people, red: f.redForCertificates },
      gap: f.redForCertificates,
    },
    {
      area: 'review_timeliness',
      score: share(f.people - f.reviewLate, f.people),
      figures: { people: f.people, late: f.reviewLate },
      gap: f.reviewLate,
    },
    {
      area: 'cross_site_control',
      score: share(f.people - f.withoutHomeSite, f.people),
      figures: { people: f.people, withoutHomeSite: f.withoutHomeSite },
      gap: f.withoutHomeSite,
    },
    {
      area: 'subcontractor_quality',
      score: share(f.subcontractorWorkers - f.subcontractorWorkersRed, f.subcontractorWorkers),
      figures: { workers: f.subcontractorWorkers, red: f.subcontractorWorkersRed },
      gap: f.subcontractorWorkersRed,
    },
    {
      area: 'notification_reach',
      score: share(f.reachable, f.people),
      figures: { people: f.people, reachable: f.reachable },
      gap: Math.max(0, f.people - f.reachable),
    },
    {
      area: 'records_completeness',
      score: share(f.certificatesVerified, f.certificates),
      figures: { certificates: f.certificates, verified: f.certificatesVerified },
      gap: Math.max(0, f.certificates - f.certificatesVerified),
    },
    violationsArea(f),
  ];
  const overall = Math.round(areas.reduce((sum, a) => sum + a.score, 0) / areas.length);
  const actions = areas
    .filter((a) => a.gap > 0)
    .map((a) => ({
      area: a.area,
      action: a.area === 'violations' && !f.violationMarked ? 'brief_crews_on_violations' : ACTIONS[a.area],
      count: a.gap,
      raises: Math.round(((100 - a.score) / areas.length) * 10) / 10,
    }))
    .sort((x, y) => y.raises - x.raises || y.count - x.count)
    .slice(0, 3);
  return { overall, areas, actions };
}

/**
 * The violations trend: the mean of three shares — people not under a mark, people without a
 * violation in the last 90 days, and the direction (violationsTrendScore). The gap is the
 * people marked, or else those with a recent violation (the crews to brief).
 */
function violationsArea(f: RadarFacts): AreaScore {
  const marked = share(f.people - f.violationMarked, f.people);
  const involved = share(f.people - f.peopleWithRecentViolations, f.people);
  const trend = violationsTrendScore(f.violationsRecent, f.violationsPrevious);
  return {
    area: 'violations',
    score: Math.round((marked + involved + trend) / 3),
    figures: {
      people: f.people,
      marked: f.violationMarked,
      recent: f.violationsRecent,
      previous: f.violationsPrevious,
      peopleWithRecent: f.peopleWithRecentViolations,
      trend,
    },
    gap: f.violationMarked || f.peopleWithRecentViolations,
  };
}

/** What to do about each area's gap (a code; the text is in i18n). */
const ACTIONS: Record<RadarArea, string> = {
  certificate_validity: 'renew_red_certificates',
  review_timeliness: 'schedule_reviews',
  cross_site_control: 'assign_home_sites',
  subcontractor_quality: 'review_subcontractor_workers',
  notification_reach: 'bind_channels',
  records_completeness: 'verify_certificates',
  violations: 'train_marked_people',
};

export const AREA_LABELS: Record<RadarArea, string> = {
  certificate_validity: '证书有效',
  review_timeliness: '复审及时',
  cross_site_control: '跨区管控',
  subcontractor_quality: '分包质量',
  notification_reach: '通知触达',
  records_completeness: '档案完整',
  violations: '违章趋势',
};

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The radar as an SVG image (zh-CN labels; a CJK-capable sans-serif font named, none embedded). */
export function radarSvg(areas: readonly AreaScore[], title = '合规雷达'): string {
  const size = 480;
  const c = size / 2;
  const r = 160;
  const n = areas.length;
  const at = (i: number, value: number) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [c + (r * value * Math.cos(angle)) / 100, c + 16 + (r * value * Math.sin(angle)) / 100] as const;
  };
  const ring = (value: number) =>
    areas
      .map((_, i) =>
        at(i, value)
          .map((v) => v.toFixed(1))
          .join(','),
      )
      .join(' ');
  const grid = [25, 50, 75, 100]
    .map((v) => `<polygon points="${ring(v)}" fill="none" stroke="#d0d7de" stroke-width="1"/>`)
    .join('');
  const spokes = areas
    .map((_, i) => {
      const [x, y] = at(i, 100);
      return `<line x1="${c}" y1="${c + 16}" x2="${x.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#d0d7de"/>`;
    })
    .join('');
  const shape = areas
    .map((a, i) =>
      at(i, a.score)
        .map((v) => v.toFixed(1))
        .join(','),
    )
    .join(' ');
  const labels = areas
    .map((a, i) => {
      const [x, y] = at(i, 118);
      return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle" dominant-baseline="middle" font-size="14">${esc(AREA_LABELS[a.area])} ${a.score}</text>`;
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 32}" viewBox="0 0 ${size} ${size + 32}" font-family="'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${c}" y="24" text-anchor="middle" font-size="18" font-weight="bold">${esc(title)}</text>`,
    grid,
    spokes,
    `<polygon points="${shape}" fill="rgba(9,105,218,0.25)" stroke="#0969da" stroke-width="2"/>`,
    labels,
    '</svg>',
  ].join('');
}
