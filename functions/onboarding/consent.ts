// The consent ledger's rules (PIPL): each purpose has its own versioned text; face data is
// sensitive personal information and needs its own separate consent (Art. 28/29), sharing
// with the alliance another (Art. 23). The latest record of a purpose decides.

export const CONSENT_PURPOSES = ['personal_information', 'face', 'alliance_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export interface ConsentText {
  purpose: ConsentPurpose;
  version: string;
  zh: string;
  en: string;
}

/**
 * The texts a person agrees to, by purpose and version. A new version is added, never
 * edited: a record names the version its holder read.
 */
export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    purpose: 'personal_information',
    version: '2026-12-01',
    zh: '为核验特种作业资格、管理门禁与派工，本企业将处理您的姓名、身份证号、联系电话、证书信息及进出场记录。身份证号加密保存，对外展示时脱敏。您可随时查询、更正或撤回同意；撤回后将无法继续入场作业。',
    en: 'To check your special-operations qualifications and run gate access and dispatch, the company processes your name, ID number, phone, certificates and site check-ins. The ID number is stored encrypted and shown masked. You may see, correct or withdraw this consent at any time; after withdrawal you can no longer be admitted to work.',
  },
  {
    purpose: 'face',
    version: '2026-12-01',
    zh: '人脸信息属于敏感个人信息。为防止冒用他人证件，入场审核将采集您的人脸视频进行活体检测，并与身份证或证书照片比对。人脸图像加密存储，仅用于本次入场审核及复核，撤回同意后立即删除。',
    en: 'Face data is sensitive personal information. To stop anyone working on another person’s papers, admission takes a short face video for a liveness check and compares it with the photo on your ID card or certificate. The images are stored encrypted, used only for this admission and its review, and deleted at once if you withdraw.',
  },
  {
    purpose: 'alliance_sharing',
    version: '2026-12-01',
    zh: '如您因伪造或冒用证书被列入黑名单，本企业将把不含身份证号的匿名标识与事由共享给行业联盟成员单位（接收方名单可随时查询），期限三年，您可申诉。',
    en: 'If you are blacklisted for a forged or borrowed certificate, the company shares a pseudonym (never your ID number) and the reason with the members of the industry alliance (their list is available at any time), for three years; you may appeal.',
  },
];

export const currentConsentText = (purpose: ConsentPurpose): ConsentText =>
  CONSENT_TEXTS.filter((t) => t.purpose === purpose).at(-1) as ConsentText;

export const knownConsentText = (purpose: ConsentPurpose, version: string) =>
  CONSENT_TEXTS.some((t) => t.purpose === purpose && t.version === version);

export interface ConsentRecord {
  consentId: string;
  purpose: ConsentPurpose;
  textVersion: string;
  language: 'zh' | 'en';
  channel: 'app' | 'paper' | 'kiosk';
  givenAt: string;
  collectedBy: string;
  withdrawnAt?: string;
  withdrawnBy?: string;
}

/** Whether the person's latest consent for the purpose stands (given and not withdrawn). */
export function consentStands(records: readonly ConsentRecord[], purpose: ConsentPurpose): boolean {
  const latest = records
    .filter((r) => r.purpose === purpose)
    .sort((a, b) => a.givenAt.localeCompare(b.givenAt))
    .at(-1);
  return !!latest && !latest.withdrawnAt;
}
