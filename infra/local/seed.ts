// Demo data for a newcomer: the tenant "demo-group" with three sites and people whose
// certificates show every colour. Entered through the API itself, so the seed exercises
// the same validation, status engine and audit trail as real use. Dates are relative to
// today (Asia/Shanghai), so the colours stay right whenever it runs.
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import type { RegistrySimulator } from './registry-simulator.ts';

export const DEMO_TENANT = 'demo-group';

export function demoIdNumber(region: string, birth: string, seq: string): string {
  const first17 = `${region}${birth}${seq}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

export interface SeedSummary {
  sites: number;
  people: { name: string; color: string; reason?: string; badgeUid: string }[];
  firstSiteId: string;
  siteIds: string[];
  /** The port site requires its safety quiz (X5). */
  quizSiteId: string;
  /** The labour subcontractor one demo worker belongs to (O1). */
  subcontractorId: string;
}

/** A valid unified social credit code for the demo tenant's registry connection. */
export const DEMO_USCC = '91350100M000100Y43';

export async function seedDemo(registry: Pick<RegistrySimulator, 'add'>, call: Call): Promise<SeedSummary> {
  const today = todayInShanghai();
  const sites = [
    {
      name: '杭州萧山制造基地',
      code: 'HZ-XS',
      regionCode: '330109',
      location: { lat: 30.1838, lng: 120.2645 },
      address: '浙江省杭州市萧山区',
    },
    {
      name: '宁波北仑港区',
      code: 'NB-BL',
      regionCode: '330206',
      location: { lat: 29.9, lng: 121.85 },
      address: '浙江省宁波市北仑区',
    },
    {
      name: '上海临港项目部',
      code: 'SH-LG',
      regionCode: '310115',
      location: { lat: 30.9, lng: 121.93 },
      address: '上海市浦东新区临港',
    },
  ];
  const siteIds: string[] = [];
  for (const site of sites) siteIds.push(String((await call('POST', '/sites', site)).siteId));
  const [hz, nb, sh] = siteIds as [string, string, string];
  // A worker of a subcontractor belongs to one the tenant registered.
  const huaxin = String(
    (
      await call('POST', '/subcontractors', {
        name: '华信劳务派遣有限公司',
        unifiedSocialCreditCode: '91330109MA2H1X0Q1U',
        contacts: [{ name: '王建国', phone: '13800138000' }],
      })
    ).subcontractorId,
  );

  const people = [
    {
      person: {
        name: '张伟',
        idNumber: demoIdNumber('330106', '19850312', '101'),
        phone: '13800001001',
        homeSiteId: hz,
      },
      certs: (id: string) => [
        {
          scheme: 'MEM',
          category: 'welding',
          subType: 'fusion_welding',
          number: `T${id}`,
          issuedOn: addYears(today, -1),
          expiresOn: addDays(addYears(today, 5), -1),
          authority: '杭州市应急管理局',
        },
      ],
    },
    {
      person: {
        name: '李娜',
        idNumber: demoIdNumber('330205', '19900721', '202'),
        phone: '13800001002',
        homeSiteId: nb,
      },
      certs: () => [
        {
          scheme: 'SAMR',
          category: 'N1',
          number: 'TS-N1-2023-0458',
          issuedOn: addDays(addYears(today, -4), 46),
          expiresOn: addDays(today, 45),
          authority: '宁波市市场监督管理局',
        },
      ],
    },
    {
      person: { name: '王强', idNumber: demoIdNumber('310115', '19780102', '303'), homeSiteId: sh },
      certs: (id: string) => [
        {
          scheme: 'MEM',
          category: 'electrical',
          subType: 'low_voltage',
          number: `T${id}`,
          issuedOn: addYears(today, -6),
          expiresOn: addDays(today, -10),
          reviewDueOn: null,
        },
      ],
    },
    {
      person: { name: '赵敏', idNumber: demoIdNumber('330106', '19881130', '404'), homeSiteId: hz },
      certs: () => [
        {
          scheme: 'MOHURD',
          category: 'crane_driver',
          number: '浙A042020000123',
          issuedOn: addDays(addYears(today, -2), -2),
          expiresOn: addDays(today, -3),
        },
        {
          scheme: 'MOHURD',
          category: 'crane_driver',
          number: '浙A042026000123',
          issuedOn: addDays(today, 2),
          expiresOn: addDays(addYears(today, 2), 1),
          replaces: 0,
        },
      ],
    },
    {
      person: { name: '陈刚', idNumber: demoIdNumber('330205', '19750615', '505'), homeSiteId: nb },
      certs: (id: string) => [
        {
          scheme: 'MEM',
          category: 'height',
          subType: 'scaffolding',
          number: `T${id}`,
          issuedOn: addYears(today, -4),
          expiresOn: addDays(addYears(today, 2), -1),
        },
      ],
    },
    {
      person: {
        name: '刘洋',
        idNumber: demoIdNumber('310115', '19950228', '606'),
        homeSiteId: sh,
        employer: { type: 'subcontractor', subcontractorId: huaxin },
      },
      certs: () => [
        {
          scheme: 'SAMR',
          category: 'Q2',
          number: 'TS-Q2-2025-0912',
          issuedOn: addYears(today, -1),
          expiresOn: addDays(addYears(today, 3), -1),
        },
      ],
    },
  ];

  await call('PUT', '/settings/registry', { unifiedSocialCreditCode: DEMO_USCC });
  // The port is the hazardous one: newcomers must pass its safety quiz before entering.
  await call('PUT', `/sites/${nb}/safety`, {
    notice:
      '北仑港区安全须知：进入港区必须佩戴安全帽、反光背心；严禁在吊装作业半径内停留；动火、受限空间作业须持有效作业票。',
    questions: [
      {
        text: '正在吊装集装箱时，你需要穿过吊臂下方，应该怎么做？',
        options: ['快速通过', '等待吊装结束或绕行', '示意司机暂停'],
        answer: 1,
      },
      {
        text: '进入储罐（受限空间）作业前，首先要做什么？',
        options: ['直接进入', '通风并检测气体', '戴口罩进入'],
        answer: 1,
      },
      {
        text: '码头边缘 2 米以上高处作业，必须？',
        options: ['系挂安全带', '有人看着即可', '动作快一点'],
        answer: 0,
      },
      {
        text: '发现动火点附近有油污，应当？',
        options: ['继续作业', '清理并报告后再作业', '用水冲一下'],
        answer: 1,
      },
    ],
    quizRequired: true,
  });
  const summary: SeedSummary = {
    sites: siteIds.length,
    siteIds,
    people: [],
    firstSiteId: hz,
    quizSiteId: nb,
    subcontractorId: huaxin,
  };
  for (const p of people) {
    const created = await call('POST', '/people', p.person);
    const personId = String(created.personId);
    // Every demo worker carries an NFC badge, for the gate simulator.
    const badgeUid = `04D0E0${String(summary.people.length + 1).padStart(2, '0')}`;
    await call('POST', `/people/${personId}/badges`, { badgeUid });
    const certIds: string[] = [];
    for (const { replaces, ...cert } of p.certs(p.person.idNumber) as (Record<string, unknown> & {
      replaces?: number;
    })[]) {
      // The registry simulator knows every demo certificate, as the real registry would.
      registry.add({
        scheme: cert.scheme as 'MEM',
        number: String(cert.number),
        category: String(cert.category),
        subType: (cert.subType as string | undefined) ?? null,
        holderName: p.person.name,
        holderIdNumber: p.person.idNumber,
        issuedOn: String(cert.issuedOn),
        expiresOn: String(cert.expiresOn),
        status: 'valid',
        authority: (cert.authority as string | undefined) ?? null,
      });
      const body = replaces === undefined ? cert : { ...cert, replacesCertificateId: certIds[replaces] };
      certIds.push(String((await call('POST', `/people/${personId}/certificates`, body)).certificateId));
    }
    const status = await call('GET', `/people/${personId}/status`);
    const reasons = status.reasons as { code: string }[];
    summary.people.push({
      name: p.person.name,
      color: String(status.color),
      reason: reasons[0]?.code,
      badgeUid,
    });
  }
  return summary;
}

/**
 * `npm start -- --seed-people N`: N more people in the demo tenant, copied from three
 * template people made through the API (infra/local/bulk-people.ts) — green, yellow and red
 * across the demo sites — and a tenth of them (at most 300) checked in through the real
 * gate code, so the lists, the heat map and the reports show a realistic group.
 */
export async function seedCrowd(
  root: typeof import('../../functions/composition-root.ts'),
  registry: Pick<RegistrySimulator, 'add'>,
  call: Call,
  siteIds: string[],
  count: number,
  /** A site that requires its quiz first: nobody of the crowd has taken it. */
  quizSiteId?: string,
): Promise<{ onSite: number }> {
  const { loadPeople } = await import('./bulk-people.ts');
  const { handleScan } = await import('../../functions/gates/scans.ts');
  const { asFunction } = await import('./iam-check.ts');
  const today = todayInShanghai();
  const certificate = (daysLeft: number, category: string, n: number) => ({
    scheme: 'SAMR',
    category,
    number: `TS-${category}-CROWD-${n}`,
    issuedOn: addDays(addYears(addDays(today, daysLeft), -4), 1),
    expiresOn: addDays(today, daysLeft),
  });
  const first17 = ['33010619850315123', '33010619870720456', '33010619900101789'];
  const templates = [
    ['周杰', 300, 'N1'],
    ['吴敏', 40, 'Q2'],
    ['郑涛', -3, 'N1'],
  ].map(([name, daysLeft, category], i) => ({
    name: String(name),
    daysLeft: Number(daysLeft),
    category: String(category),
    homeSiteId: siteIds[i % siteIds.length] as string,
    idNumber: `${first17[i]}${residentIdCheckChar(first17[i] as string)}`,
    certificate: certificate(Number(daysLeft), String(category), i),
  }));
  // The registry knows the templates' certificates (and so the copies'), as for the demo
  // people: the verification the worker runs must not turn them red as unknown.
  for (const t of templates)
    registry.add({
      scheme: 'SAMR',
      number: String(t.certificate.number),
      category: t.category,
      subType: null,
      holderName: t.name,
      holderIdNumber: t.idNumber,
      issuedOn: t.certificate.issuedOn,
      expiresOn: t.certificate.expiresOn,
      status: 'valid',
      authority: null,
    });
  const people = await loadPeople({
    db: root.documentClient(),
    table: root.table(),
    call,
    count,
    templates,
  });
  const deps = {
    scans: root.scanStore(),
    inductions: root.siteInductions(),
    travel: root.travelAlertStore(),
    clock: root.clock(),
  };
  // The green and yellow ones (the red would be refused at the gate), at sites they may enter.
  const open = siteIds.filter((s) => s !== quizSiteId);
  const entering = people.filter((p) => p.template !== 2).slice(0, Math.min(300, Math.ceil(count / 10)));
  const onSite = entering.length;
  for (const [i, p] of entering.entries()) {
    const siteId = open[i % open.length] as string;
    await asFunction('gates', () =>
      handleScan(deps, `${DEMO_TENANT}:${siteId}:crowd`, {
        scanId: `crowd-scan-${i}`,
        badgeUid: p.badgeUid,
        direction: 'in',
        at: new Date().toISOString(),
      }),
    );
  }
  return { onSite };
}
