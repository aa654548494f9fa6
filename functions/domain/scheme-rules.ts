// The validity and review rules of each certificate scheme, as data. Each row cites its
// source (secondary copies of the regulations; confidence noted) so that a correction is
// a one-line change here and nowhere else.

export const SCHEMES = ['MEM', 'SAMR', 'MOHURD'] as const;
export type Scheme = (typeof SCHEMES)[number];

export interface SchemeRule {
  scheme: Scheme;
  title: string;
  /** Years from issue to expiry of a freshly issued certificate. */
  validityYears: number;
  /** Whether `expiresOn` may lie beyond issue + validity (extensions stamped on the same card). */
  extendable: boolean;
  /** Years between issue and the interim review (复审); null when there is none. */
  reviewIntervalYears: number | null;
  /** Review interval for holders granted the per-certificate extension; null when there is none. */
  extendedReviewIntervalYears: number | null;
  /** Days before the review due date in which the review must be applied for. */
  reviewWindowDays: number | null;
  /** Days before expiry in which renewal/extension is applied for, and the latest day to apply. */
  renewalWindow: { opensDaysBefore: number; closesDaysBefore: number };
  source: string;
  confidence: 'high' | 'medium';
}

export const SCHEME_RULES: Record<Scheme, SchemeRule> = {
  MEM: {
    scheme: 'MEM',
    title: '特种作业操作证 (MEM special operations)',
    validityYears: 6,
    extendable: false,
    reviewIntervalYears: 3,
    extendedReviewIntervalYears: 6,
    reviewWindowDays: 60,
    renewalWindow: { opensDaysBefore: 60, closesDaysBefore: 0 },
    source:
      'MEM Order No. 30 (特种作业人员安全技术培训考核管理规定) Art. 19 (6 years, nationwide), Art. 21 (review every 3 years; 6 with 10+ years, no violations, authority consent), Art. 22 (apply within 60 days before), Art. 24 (renewal issues a new certificate), Art. 26 (missed review invalidates)',
    confidence: 'high',
  },
  SAMR: {
    scheme: 'SAMR',
    title: '特种设备作业人员证 (SAMR special-equipment operators)',
    validityYears: 4,
    extendable: false,
    reviewIntervalYears: null,
    extendedReviewIntervalYears: null,
    reviewWindowDays: null,
    // Apply at least 1 month before expiry; the product reminds 3 months ahead.
    renewalWindow: { opensDaysBefore: 90, closesDaysBefore: 30 },
    source:
      'TSG Z6001-2019 特种设备作业人员考核规则 Art. 25 (valid 4 years; renewal applied for at least 1 month before expiry)',
    confidence: 'medium',
  },
  MOHURD: {
    scheme: 'MOHURD',
    title: '建筑施工特种作业操作资格证书 (MOHURD construction special operations)',
    validityYears: 2,
    extendable: true,
    reviewIntervalYears: null,
    extendedReviewIntervalYears: null,
    reviewWindowDays: null,
    renewalWindow: { opensDaysBefore: 90, closesDaysBefore: 0 },
    source:
      '建筑施工特种作业人员管理规定 (建质〔2008〕75号) Art. 22–23 (valid 2 years; extension review applied for within 3 months before expiry; each extension +2 years)',
    confidence: 'medium',
  },
};
