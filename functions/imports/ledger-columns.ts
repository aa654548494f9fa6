// The columns of a tenant's existing ledger (台账): which header names which field. The
// template's zh-CN headers, the synonyms ledgers in the field use, and English headers are
// recognised; a caller's mapping (header → field) wins over all of them. Pure.

export const LEDGER_FIELDS = [
  'name',
  'idNumber',
  'employeeId',
  'site',
  'subcontractor',
  'phone',
  'scheme',
  'category',
  'subType',
  'certificateNumber',
  'issuedOn',
  'expiresOn',
  'reviewDueOn',
  'badgeUid',
] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];

/** The template's headers (GET /imports/template.xlsx), in its column order. */
export const TEMPLATE_HEADERS: Record<LedgerField, string> = {
  name: '姓名',
  idNumber: '身份证号',
  employeeId: '工号',
  site: '所属厂区',
  subcontractor: '分包单位',
  phone: '手机',
  scheme: '证书体系',
  category: '证书类别',
  subType: '操作项目',
  certificateNumber: '证书编号',
  issuedOn: '发证日期',
  expiresOn: '有效期至',
  reviewDueOn: '复审日期',
  badgeUid: '工牌UID',
};

/** Other names for each field, as ledgers write them (compared without spaces, case or punctuation). */
const SYNONYMS: Record<LedgerField, string[]> = {
  name: ['姓名', '名字', '人员姓名', '员工姓名', '持证人', 'name', 'fullname', 'workername'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '身份证',
    '证件号码',
    '公民身份号码',
    'idnumber',
    'idno',
    'idcard',
    'residentid',
  ],
  employeeId: ['工号', '员工编号', '员工号', '职工编号', 'employeeid', 'staffno', 'staffnumber'],
  site: ['所属厂区', '厂区', '所属单位', '作业厂区', '厂区代码', 'site', 'sitecode', 'homesite'],
  subcontractor: ['分包单位', '分包商', '劳务公司', '所属公司', '外包单位', 'subcontractor', 'contractor'],
  phone: ['手机', '手机号', '手机号码', '联系电话', '电话', 'phone', 'mobile'],
  scheme: ['证书体系', '证书类型', '发证部门', '发证体系', 'scheme', 'certificatescheme'],
  category: ['证书类别', '作业类别', '工种', '作业种类', '项目代号', 'category', 'certificatecategory'],
  subType: ['操作项目', '准操项目', '作业项目', 'subtype', 'operationitem'],
  certificateNumber: [
    '证书编号',
    '证号',
    '操作证号',
    '证书号',
    '特种作业操作证号',
    'certificatenumber',
    'certificateno',
  ],
  issuedOn: ['发证日期', '初领日期', '取证日期', '发证时间', 'issuedon', 'issuedate', 'dateofissue'],
  expiresOn: [
    '有效期至',
    '有效期',
    '到期日期',
    '有效截止日期',
    '有效期限',
    'expireson',
    'expirydate',
    'validuntil',
  ],
  reviewDueOn: [
    '复审日期',
    '下次复审日期',
    '复审时间',
    '应复审日期',
    'reviewdueon',
    'reviewdate',
    'nextreview',
  ],
  badgeUid: ['工牌uid', '工牌号', '卡号', '门禁卡号', 'ic卡号', 'badgeuid', 'badge', 'cardno'],
};

/** A header as compared: no spaces, punctuation or case. */
export const headerKey = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:：()（）/\\*]/g, '');

const BY_KEY = new Map<string, LedgerField>(
  LEDGER_FIELDS.flatMap((f) => SYNONYMS[f].map((s) => [headerKey(s), f] as [string, LedgerField])),
);

export interface ColumnMap {
  /** The column index of each recognised field. */
  columns: Partial<Record<LedgerField, number>>;
  /** The header text of each column (for a row's problems: the column the user sees). */
  headers: string[];
}

/** Which column is which field: the caller's mapping first, then the known names; the first column wins. */
export function mapColumns(header: string[], mapping: Record<string, LedgerField> = {}): ColumnMap {
  const explicit = new Map(Object.entries(mapping).map(([h, f]) => [headerKey(h), f]));
  const columns: Partial<Record<LedgerField, number>> = {};
  header.forEach((h, i) => {
    const key = headerKey(h);
    const field = explicit.get(key) ?? BY_KEY.get(key);
    if (field && columns[field] === undefined) columns[field] = i;
  });
  return { columns, headers: header.map((h) => h.trim()) };
}

/** The fields a ledger cannot be imported without. */
export const REQUIRED_FIELDS: LedgerField[] = ['name', 'idNumber'];
