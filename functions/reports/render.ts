// Rendering the health report: an HTML page (and e-mail body) with inline SVG charts,
// and a CSV of the per-site figures.
import type { Language } from '../shared/i18n/messages.ts';
import { csvField } from '../shared/spreadsheet-cells.ts';
import type { HealthMetrics, HealthReport } from './health-metrics.ts';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LABELS = {
  zh: {
    title: '特种作业人员持证健康月报',
    expiryRate: '过期率',
    onTimeReviewRate: '按期复审率',
    crossRegionRate: '异地持证率',
    site: '工地',
    certificates: '在用证书',
    trend: '近六个月趋势',
    bySite: '各工地过期率',
    asOf: '统计截至',
  },
  en: {
    title: 'Special-operations certificate health report',
    expiryRate: 'Expiry rate',
    onTimeReviewRate: 'On-time review rate',
    crossRegionRate: 'Cross-region holding rate',
    site: 'Site',
    certificates: 'Certificates in force',
    trend: 'Six-month trend',
    bySite: 'Expiry rate by site',
    asOf: 'As of',
  },
};

const SERIES = [
  { key: 'expiryRate', color: '#d62728' },
  { key: 'onTimeReviewRate', color: '#2ca02c' },
  { key: 'crossRegionRate', color: '#1f77b4' },
] as const;

export function trendChart(report: HealthReport, lang: Language): string {
  const w = 560;
  const h = 220;
  const pad = 40;
  const n = report.trend.length;
  const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(1, n - 1);
  const y = (v: number) => h - pad - v * (h - 2 * pad);
  const lines = SERIES.map(({ key, color }) => {
    const points = report.trend.flatMap((t, i) =>
      t[key] === null ? [] : [`${x(i).toFixed(1)},${y(t[key] as number).toFixed(1)}`],
    );
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`;
  }).join('');
  const labels = report.trend
    .map((t, i) => `<text x="${x(i)}" y="${h - 12}" font-size="11" text-anchor="middle">${t.month}</text>`)
    .join('');
  const legend = SERIES.map(
    ({ key, color }, i) =>
      `<rect x="${pad + i * 170}" y="6" width="10" height="10" fill="${color}"/><text x="${pad + 14 + i * 170}" y="15" font-size="12">${LABELS[lang][key]}</text>`,
  ).join('');
  const axis = `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/><text x="6" y="${y(1) + 4}" font-size="10">100%</text><text x="14" y="${y(0) + 4}" font-size="10">0%</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${LABELS[lang].trend}">${axis}${lines}${labels}${legend}</svg>`;
}

export function siteChart(report: HealthReport, lang: Language): string {
  const bar = 22;
  const w = 560;
  const h = 30 + report.sites.length * (bar + 8);
  const bars = report.sites
    .map((s, i) => {
      const v = s.expiryRate ?? 0;
      const y0 = 20 + i * (bar + 8);
      return `<text x="4" y="${y0 + 15}" font-size="12">${esc(s.name)}</text><rect x="180" y="${y0}" width="${(v * 340).toFixed(1)}" height="${bar}" fill="#d62728"/><text x="${186 + v * 340}" y="${y0 + 15}" font-size="12">${pct(s.expiryRate)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${LABELS[lang].bySite}">${bars}</svg>`;
}

/** `sections`: more HTML for the end of the report (the compliance radar), already escaped. */
export function renderHtml(report: HealthReport, lang: Language, sections: string[] = []): string {
  const L = LABELS[lang];
  const row = (name: string, m: HealthMetrics) =>
    `<tr><td>${esc(name)}</td><td>${m.certificates}</td><td>${pct(m.expiryRate)}</td><td>${pct(m.onTimeReviewRate)}</td><td>${pct(m.crossRegionRate)}</td></tr>`;
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${L.title} ${report.month}</title></head>
<body style="font-family:sans-serif">
<h1>${L.title} · ${report.month}</h1>
<p>${L.asOf} ${report.asOf}</p>
<ul><li>${L.expiryRate}: <b>${pct(report.overall.expiryRate)}</b></li><li>${L.onTimeReviewRate}: <b>${pct(report.overall.onTimeReviewRate)}</b></li><li>${L.crossRegionRate}: <b>${pct(report.overall.crossRegionRate)}</b></li></ul>
<h2>${L.trend}</h2>${trendChart(report, lang)}
<h2>${L.bySite}</h2>${siteChart(report, lang)}
<table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>${L.site}</th><th>${L.certificates}</th><th>${L.expiryRate}</th><th>${L.onTimeReviewRate}</th><th>${L.crossRegionRate}</th></tr>
${report.sites.map((s) => row(s.name, s)).join('\n')}
</table>${sections.join('\n')}</body></html>`;
}

export function renderCsv(report: HealthReport): string {
  const cell = csvField;
  const header = [
    'month',
    'siteId',
    'site',
    'certificates',
    'expired',
    'expiryRate',
    'deadlinesInMonth',
    'onTime',
    'onTimeReviewRate',
    'peopleWithRegion',
    'crossRegion',
    'crossRegionRate',
  ];
  const line = (siteId: string, name: string, m: HealthMetrics) =>
    [
      report.month,
      siteId,
      name,
      m.certificates,
      m.expired,
      m.expiryRate,
      m.deadlinesInMonth,
      m.onTime,
      m.onTimeReviewRate,
      m.peopleWithRegion,
      m.crossRegion,
      m.crossRegionRate,
    ]
      .map(cell)
      .join(',');
  return `\uFEFF${[header.join(','), line('', 'ALL', report.overall), ...report.sites.map((s) => line(s.siteId, s.name, s))].join('\n')}\n`;
}
