// What each audited action is called, in both languages (GET /audit shows it beside the
// code). Pure. Actions built at run time (a setting's name, a decision) are named by their
// family; a code not listed is shown as itself, and a unit test keeps every action the code
// writes as a literal in this list.
import type { Language } from '../shared/i18n/messages.ts';

type Names = Record<string, { zh: string; en: string }>;

export const ACTION_NAMES = {
  'person.create': { zh: '登记人员', en: 'Person registered' },
  'person.update': { zh: '更正人员信息', en: 'Person corrected' },
  'person.departure': { zh: '登记离职', en: 'Departure recorded' },
  'person.rehire': { zh: '重新入职', en: 'Re-hired' },
  'person.status.change': { zh: '人员状态变更', en: 'Person status changed' },
  'person.bindings.put': { zh: '更新通知绑定', en: 'Notification bindings updated' },
  'person.data_export': { zh: '导出个人信息副本', en: 'Personal-data copy exported' },
  'person.deletion_request': { zh: '个人信息删除请求', en: 'Personal-data deletion request answered' },
  'person.erase': { zh: '删除个人信息（保存期满）', en: 'Personal data erased' },
  'person.suspend': { zh: '违章积分达到阈值，停工培训', en: 'Suspended for training (violation points)' },
  'person.review_at_risk': { zh: '标记复审风险', en: 'Certificate review marked at risk' },
  'person.course_completed': { zh: '记录培训课程完成', en: 'Course recorded as done' },
  'person.reinstate': { zh: '培训后复工', en: 'Reinstated after training' },
  'violation.record': { zh: '记录违章', en: 'Violation recorded' },
  'violation.propose': { zh: '系统提出违章', en: 'Violation proposed by the system' },
  'violation.confirm': { zh: '确认违章', en: 'Violation confirmed' },
  'violation.dismiss': { zh: '驳回违章', en: 'Violation dismissed' },
  'person.bindings.drop': { zh: '离职解除通知绑定', en: 'Notification bindings dropped (left)' },
  'person.codes_revoked': { zh: '作废人员核验码', en: 'Verification codes revoked' },
  'person.practical-reexam': { zh: '记录实操复考', en: 'Practical re-exam recorded' },
  'person.practice-declared': { zh: '申报既往作业', en: 'Past practice declared' },
  'certificate.create': { zh: '录入证书', en: 'Certificate entered' },
  'certificate.renew': { zh: '换证录入', en: 'Certificate renewed' },
  'certificate.review': { zh: '记录复审', en: 'Review recorded' },
  'certificate.extension': { zh: '记录延期', en: 'Extension recorded' },
  'certificate.verify': { zh: '官方库核验', en: 'Registry verification' },
  'certificate.forgery_analysis': { zh: '证件伪造分析', en: 'Forgery analysis' },
  'certificate.forgery_review': { zh: '伪造复核', en: 'Forgery review' },
  'certificate.correct': { zh: '更正证书信息', en: 'Certificate corrected' },
  'certificate.void': { zh: '作废误录证书', en: 'Certificate voided (entered in error)' },
  'badge.bind': { zh: '绑定工牌', en: 'Badge bound' },
  'badge.revoke': { zh: '注销工牌', en: 'Badge revoked' },
  'batch.create': { zh: '提交批量核验', en: 'Verification batch submitted' },
  'import.start': { zh: '导入台账', en: 'Ledger import started' },
  'webhook.create': { zh: '创建事件订阅', en: 'Webhook subscription created' },
  'webhook.update': { zh: '修改事件订阅', en: 'Webhook subscription changed' },
  'webhook.remove': { zh: '删除事件订阅', en: 'Webhook subscription removed' },
  'document.declare': { zh: '登记档案文件', en: 'Document declared' },
  'document.store': { zh: '档案文件上传完成', en: 'Document stored' },
  'document.expire': { zh: '档案文件保存期满删除', en: 'Document deleted at the end of its retention' },
  'document.discard': {
    zh: '未完成上传的档案文件登记作废',
    en: 'Document declared but never uploaded, discarded',
  },
  'archive.create': { zh: '生成监管档案包', en: 'Archive requested' },
  'archive.share': { zh: '分享档案给检查人员', en: 'Archive shared with an inspector' },
  'archive.revoke_share': { zh: '撤销档案分享', en: 'Archive link revoked' },
  'archive.share_view': { zh: '检查人员查看档案', en: 'Inspector viewed the archive' },
  'archive.share_download': { zh: '检查人员下载档案文件', en: 'Inspector downloaded a file' },
  'insurer.acknowledge': { zh: '保险公司确认事件', en: 'Insurer acknowledged an event' },
  'blacklist.create': { zh: '列入黑名单', en: 'Blacklist entry made' },
  'blacklist.appeal': { zh: '提出申诉', en: 'Appeal lodged' },
  'blacklist.uphold': { zh: '申诉驳回，维持黑名单', en: 'Appeal decided: entry upheld' },
  'blacklist.remove': { zh: '移出黑名单', en: 'Blacklist entry removed' },
  'blacklist.expire': { zh: '黑名单到期', en: 'Blacklist entry expired' },
  'consent.give': { zh: '授权同意', en: 'Consent given' },
  'consent.withdraw': { zh: '撤回同意', en: 'Consent withdrawn' },
  'gate.create': { zh: '登记闸机', en: 'Gate registered' },
  'gate.retire': { zh: '停用闸机', en: 'Gate retired' },
  'onboarding.start': { zh: '开始准入', en: 'Admission started' },
  'onboarding.review': { zh: '准入复核', en: 'Admission reviewed' },
  'onboarding.face_data_deleted': { zh: '删除人脸数据', en: 'Face data deleted' },
  'partner.create': { zh: '登记联盟成员', en: 'Alliance partner registered' },
  'partner.update': {
    zh: '变更联盟成员（停用、启用或更换密钥）',
    en: 'Alliance partner suspended, re-activated or re-keyed',
  },
  'permit.request': { zh: '申请跨厂区许可', en: 'Cross-site permit requested' },
  'permit.approve': { zh: '会签同意', en: 'Permit signed: approve' },
  'permit.reject': { zh: '会签拒绝', en: 'Permit signed: reject' },
  'quiz.pass': { zh: '通过安全测验', en: 'Safety quiz passed' },
  'site.create': { zh: '新建厂区', en: 'Site created' },
  'site.update': { zh: '更正厂区信息', en: 'Site corrected' },
  'site.close': { zh: '关闭厂区', en: 'Site closed' },
  'site.reopen': { zh: '重新开放厂区', en: 'Site reopened' },
  'site.safety.put': { zh: '更新厂区安全须知', en: 'Site safety brief updated' },
  'spot_check.record': { zh: '记录抽查', en: 'Spot check recorded' },
  'subcontractor.create': { zh: '登记分包单位', en: 'Subcontractor registered' },
  'subcontractor.update': { zh: '更正分包单位信息', en: 'Subcontractor corrected' },
  'subcontractor.terminate': { zh: '终止分包合同', en: 'Subcontractor contract ended' },
  'subcontractor.reinstate': { zh: '撤销分包合同终止', en: 'Subcontractor termination undone' },
  'tenant.create': { zh: '开通租户', en: 'Tenant created' },
  'tenant.suspend': { zh: '暂停租户', en: 'Tenant suspended' },
  'tenant.resume': { zh: '恢复租户', en: 'Tenant resumed' },
  'user.invite': { zh: '邀请用户', en: 'User invited' },
  'user.reinvite': { zh: '重新邀请用户', en: 'User re-invited' },
  'user.accept-invitation': { zh: '用户接受邀请', en: 'Invitation accepted' },
  'user.update': { zh: '修改用户', en: 'User changed' },
  'user.disable': { zh: '停用用户', en: 'User disabled' },
  'user.enable': { zh: '启用用户', en: 'User enabled' },
  'user.delete': { zh: '删除用户', en: 'User removed' },
  'work-ticket.create': { zh: '开具作业票', en: 'Work ticket drafted' },
  'work-ticket.approve': { zh: '审批作业票', en: 'Work ticket approved' },
  'work-ticket.activate': { zh: '作业开始', en: 'Work started' },
  'work-ticket.gas-analysis': { zh: '记录气体分析', en: 'Gas analysis recorded' },
  'work-ticket.close': { zh: '作业票关闭', en: 'Work ticket closed' },
  'work-ticket.cancel': { zh: '作业票作废', en: 'Work ticket cancelled' },
  'work-ticket.expire': { zh: '作业票过期', en: 'Work ticket expired' },
} satisfies Names;

/** A setting's change: `settings.<name>.put`. */
const SETTING = /^settings\.([a-z-]+)\.put$/;

export function actionName(action: string, lang: Language): string {
  const known = (ACTION_NAMES as Names)[action];
  if (known) return known[lang];
  const setting = SETTING.exec(action);
  if (setting) return lang === 'zh' ? `修改设置：${setting[1]}` : `Setting changed: ${setting[1]}`;
  return action;
}
