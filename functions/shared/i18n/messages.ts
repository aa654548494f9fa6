// People-facing text: Simplified Chinese by default, English on request
// (Accept-Language). Codes, field names and logs stay English.

export type Language = 'zh' | 'en';

/** Picks the language from an Accept-Language header: English only when preferred over Chinese. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag, q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((l) => l.tag.startsWith('zh') || l.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'zh';
}

type Catalogue = Record<string, { zh: string; en: string }>;

const MESSAGES = {
  // problem titles
  'invalid-request': { zh: '请求无效', en: 'Invalid request' },
  unauthenticated: { zh: '未认证', en: 'Not authenticated' },
  forbidden: { zh: '无权操作', en: 'Forbidden' },
  'not-found': { zh: '未找到', en: 'Not found' },
  'too-many-requests': { zh: '请求过于频繁', en: 'Too many requests' },
  conflict: { zh: '冲突', en: 'Conflict' },
  gone: { zh: '已失效', en: 'Gone' },
  share_revoked: { zh: '此链接已被撤销。', en: 'This link was revoked.' },
  share_expired: { zh: '此链接已过期。', en: 'This link has expired.' },
  'concurrent-modification': { zh: '并发修改冲突', en: 'Concurrent modification' },
  internal: { zh: '服务器内部错误', en: 'Internal error' },
  // problem details
  invalid_multipart: {
    zh: '无法解析 multipart/form-data 请求体。',
    en: 'The multipart/form-data body cannot be read.',
  },
  invalid_json: { zh: '请求体不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  validation_failed: { zh: '请求中有字段无效。', en: 'Some fields of the request are invalid.' },
  missing_token: { zh: '缺少或无效的访问令牌。', en: 'A valid bearer token is required.' },
  role_not_allowed: { zh: '角色 {role} 不能执行此操作。', en: 'Role {role} may not do this.' },
  // The user directory (tenants and users).
  no_account: {
    zh: '此登录身份在本系统中没有账号：请使用邀请码开通，或联系贵单位管理员。',
    en: 'This sign-in has no account here: accept your invitation code, or ask your administrator.',
  },
  account_disabled: { zh: '账号已停用。', en: 'This account is disabled.' },
  account_not_active: {
    zh: '账号尚未开通：请先接受邀请。',
    en: 'This account is not open yet: accept the invitation first.',
  },
  tenant_suspended: {
    zh: '贵单位的服务已暂停，请联系平台运营方。',
    en: 'Your organisation’s service is suspended: contact the platform operator.',
  },
  platform_admin_only: { zh: '仅平台运营方可执行此操作。', en: 'Only the platform operator may do this.' },
  platform_admin_has_no_tenant: {
    zh: '平台运营账号不属于任何单位，不能读取单位数据。',
    en: 'A platform operator belongs to no tenant and reads no tenant’s data.',
  },
  role_not_grantable: {
    zh: '不能授予或管理高于本人权限的角色（{role}）。',
    en: 'Nobody grants or manages a role above their own ({role}).',
  },
  tenant_exists: { zh: '该单位标识已存在。', en: 'A tenant with this id exists.' },
  tenant_code_taken: { zh: '该统一社会信用代码已开通单位。', en: 'A tenant with this credit code exists.' },
  tenant_not_found: { zh: '单位不存在。', en: 'No such tenant.' },
  user_not_found: { zh: '用户不存在。', en: 'No such user.' },
  identity_already_bound: {
    zh: '此登录身份已绑定另一个账号。',
    en: 'This sign-in is already bound to another account.',
  },
  account_exists: {
    zh: '身份提供方中已有此邮箱或手机号的账号。',
    en: 'The identity provider already has an account with this e-mail or phone.',
  },
  last_group_admin: {
    zh: '至少需要保留一名在用的集团管理员：请先邀请另一名管理员。',
    en: 'At least one active group admin must remain: invite another one first.',
  },
  invitation_not_found: { zh: '邀请码无效。', en: 'No such invitation code.' },
  invitation_expired: {
    zh: '邀请码已过期：请管理员重新邀请。',
    en: 'The invitation code has expired: ask for a new invitation.',
  },
  invitation_not_open: {
    zh: '该用户没有待接受的邀请。',
    en: 'This user has no open invitation.',
  },
  invitation_used: { zh: '邀请码已使用。', en: 'The invitation code was used already.' },
  no_way_to_invite: {
    zh: '无法送达邀请：请填写邮箱（或为工人关联人员档案）。',
    en: 'No way to deliver the invitation: give an e-mail address (or link a worker to their person record).',
  },
  email_required_to_invite: { zh: '邀请需要邮箱。', en: 'An invitation needs an e-mail address.' },
  nothing_to_change: { zh: '没有要修改的内容。', en: 'Nothing to change.' },
  sites_required: { zh: '工地负责人需要至少一个工地。', en: 'A site manager needs at least one site.' },
  sites_not_for_role: { zh: '只有工地负责人关联工地。', en: 'Only a site manager has sites.' },
  subcontractor_required: {
    zh: '分包管理员需要所属分包单位。',
    en: 'A subcontractor admin needs their company.',
  },
  subcontractor_not_for_role: {
    zh: '只有分包管理员关联分包单位。',
    en: 'Only a subcontractor admin has a company.',
  },
  person_required: {
    zh: '工人本人账号需要关联人员档案。',
    en: 'A worker’s own account needs their person record.',
  },
  site_not_in_scope: { zh: '该工地不在您的管辖范围内。', en: 'This site is not one of yours.' },
  site_required: { zh: '请指定 siteId。', en: 'Specify siteId.' },
  route_not_found: { zh: '没有这个接口。', en: 'No such route.' },
  not_found: { zh: '所请求的记录不存在。', en: 'No such record.' },
  'not-configured': { zh: '未配置', en: 'Not configured' },
  service_not_configured: {
    zh: '此部署缺少所需的配置（{setting}），请联系管理员。',
    en: 'This deployment lacks a setting this request needs ({setting}); ask the operator.',
  },
  nesting_too_deep: { zh: '请求体嵌套层数过多。', en: 'The request body is nested too deeply.' },
  'service-unavailable': { zh: '服务暂时不可用', en: 'Service temporarily unavailable' },
  'precondition-failed': { zh: '记录已被修改', en: 'Precondition failed' },
  'precondition-required': { zh: '缺少版本条件', en: 'Precondition required' },
  dependency_unavailable: {
    zh: '后端依赖的服务暂时无法响应，请稍后重试。',
    en: 'A service this API depends on is not answering; try again shortly.',
  },
  ill_formed_string: {
    zh: '文本中含有无效的 Unicode 字符（孤立的代理项）。',
    en: 'The text holds an invalid Unicode character (a lone surrogate).',
  },
  // admission of outside workers and the consent ledger
  'provider-not-configured': { zh: '未配置服务提供方', en: 'Provider not configured' },
  'provider-unavailable': { zh: '服务提供方暂不可用', en: 'Provider unavailable' },
  provider_not_configured: {
    zh: '此部署没有为 {port} 配置服务提供方（{setting}），该步骤无法进行。',
    en: 'This deployment has no provider for {port} ({setting}); the step cannot run.',
  },
  provider_unavailable: {
    zh: '服务提供方暂时无法响应（{reason}），请稍后重试。',
    en: 'The provider is not answering ({reason}); try again shortly.',
  },
  consent_required: {
    zh: '此人尚未同意（或已撤回）用途为 {purpose} 的个人信息处理，不能进行此步骤。',
    en: 'This person has not consented (or has withdrawn consent) to {purpose}; the step cannot run.',
  },
  consent_text_unknown: { zh: '没有这个版本的同意书文本。', en: 'No consent text of this version.' },
  consent_not_found: { zh: '没有该用途的同意记录。', en: 'No consent record for this purpose.' },
  consent_already_withdrawn: { zh: '该同意已撤回。', en: 'This consent is already withdrawn.' },
  onboarding_not_found: { zh: '入场审核不存在。', en: 'No such admission flow.' },
  onboarding_closed: {
    zh: '该入场审核已结束（{status}），不能再更改。',
    en: 'This admission flow is closed ({status}); it cannot change.',
  },
  onboarding_not_reviewable: {
    zh: '只有待复核或已拒绝、且尚未复核的入场审核可以复核（当前：{status}）。',
    en: 'Only a flow under review or refused, and not yet reviewed, can be reviewed (now: {status}).',
  },
  onboarding_changed: {
    zh: '入场审核刚被他人更新，请重试。',
    en: 'The admission flow was just changed by someone else; try again.',
  },
  person_not_of_subcontractor: {
    zh: '此人不是该分包单位的人员。',
    en: 'This person does not work for this subcontractor.',
  },
  image_not_of_flow: {
    zh: '该图片不是本次入场审核上传的。',
    en: 'This image was not uploaded for this admission flow.',
  },
  image_not_uploaded: { zh: '图片尚未上传。', en: 'The image has not been uploaded.' },
  liveness_already_passed: { zh: '活体检测已通过。', en: 'The liveness check has already passed.' },
  liveness_not_started: { zh: '尚未开始活体检测。', en: 'No liveness session has been started.' },
  liveness_required: {
    zh: '人脸比对需要先通过活体检测。',
    en: 'Face matching needs a passed liveness check first.',
  },
  id_number_not_persons: {
    zh: '该身份证号与此人登记的不一致。',
    en: 'This ID number is not the one the person was registered with.',
  },
  person_not_found: { zh: '人员不存在。', en: 'No such person.' },
  site_not_found: { zh: '工地不存在。', en: 'No such site.' },
  subcontractor_not_found: { zh: '分包单位不存在。', en: 'No such subcontractor.' },
  subcontractor_code_taken: {
    zh: '该统一社会信用代码的分包单位已登记。',
    en: 'A subcontractor with this unified social credit code is already registered.',
  },
  certificate_not_found: { zh: '证书不存在。', en: 'No such certificate.' },
  id_number_taken: { zh: '该身份证号已登记。', en: 'This ID number is already registered.' },
  site_code_taken: { zh: '工地编码 {code} 已被使用。', en: 'Site code {code} is already in use.' },
  certificate_exists: { zh: '该证书已录入。', en: 'This certificate has already been entered.' },
  certificate_already_renewed: {
    zh: '被替换的证书已有换发记录。',
    en: 'The replaced certificate has already been renewed.',
  },
  concurrent_update: { zh: '数据正在被其他请求修改，请重试。', en: 'The record changed meanwhile; retry.' },
  stale_version: {
    zh: '记录在您读取后已被修改，请重新读取后再更正。',
    en: 'The record changed since you read it: read it again, then correct it.',
  },
  if_match_required: {
    zh: '更正须带 If-Match 请求头（读取时返回的 ETag）。',
    en: 'A correction needs an If-Match header (the ETag from your read).',
  },
  idempotency_key_invalid: {
    zh: 'Idempotency-Key 须为 8–128 个字母、数字或 _.:- 字符。',
    en: 'An Idempotency-Key is 8–128 letters, digits or _.:- characters.',
  },
  geofence_not_closed: {
    zh: '电子围栏须为闭合多边形（至少 4 个点，首尾相同）。',
    en: 'A geofence is a closed ring (at least 4 positions, the first repeated last).',
  },
  geofence_self_intersecting: { zh: '电子围栏的边相交。', en: 'The geofence crosses itself.' },
  geofence_too_small: { zh: '电子围栏面积小于 100 平方米。', en: 'The geofence is smaller than 100 m².' },
  geofence_too_large: { zh: '电子围栏面积大于 100 平方公里。', en: 'The geofence is larger than 100 km².' },
  geofence_excludes_site: {
    zh: '电子围栏未包含厂区位置（注意：经度在前）。',
    en: 'The geofence does not contain the site’s location (longitude comes first).',
  },
  suspended: { zh: '因违章积分停工培训', en: 'Suspended for training (violation points)' },
  review_at_risk: {
    zh: '特种作业操作证复审存在风险（两次违章或一次严重违章）',
    en: 'Certificate review at risk (two violations, or one serious)',
  },
  violation_in_future: { zh: '违章时间不能晚于现在。', en: 'A violation cannot be in the future.' },
  violation_decided: { zh: '该违章已处理。', en: 'The violation is decided already.' },
  violation_not_found: { zh: '找不到该违章记录。', en: 'No such violation.' },
  course_not_found: { zh: '找不到该课程。', en: 'No such course.' },
  course_completed: { zh: '该课程已记录完成。', en: 'The course is recorded as done already.' },
  course_open: { zh: '课程未完成：{courseId}', en: 'Course not done: {courseId}' },
  courses_open: { zh: '尚有课程未完成，不能复工。', en: 'Courses are still open: no reinstatement yet.' },
  not_suspended: { zh: '该人员未被停工。', en: 'The person is not suspended.' },
  renew_red_certificates: {
    zh: '为 {count} 名因证书变红的人员办理换证或复审',
    en: 'Renew or review the certificates of {count} people who are red for them',
  },
  schedule_reviews: { zh: '为 {count} 名人员安排到期复审', en: 'Schedule the reviews of {count} people' },
  assign_home_sites: { zh: '为 {count} 名人员指定所属厂区', en: 'Give {count} people a home site' },
  review_subcontractor_workers: {
    zh: '督促分包单位处理 {count} 名红色人员',
    en: 'Have subcontractors deal with {count} red workers',
  },
  bind_channels: {
    zh: '为 {count} 名人员绑定通知渠道',
    en: 'Bind a notification channel for {count} people',
  },
  verify_certificates: {
    zh: '向发证机关核验 {count} 张证书',
    en: 'Verify {count} certificates with the registry',
  },
  train_marked_people: {
    zh: '组织 {count} 名违章人员完成培训',
    en: 'Train the {count} people suspended or at review risk',
  },
  brief_crews_on_violations: {
    zh: '对近 90 天有违章的 {count} 名人员开展班前安全交底',
    en: 'Brief the {count} people with a violation in the last 90 days',
  },
  site_closed: { zh: '该厂区已关闭。', en: 'The site is closed.' },
  site_not_closed: { zh: '该厂区未关闭。', en: 'The site is not closed.' },
  upload_not_found: { zh: '找不到该上传文件（或已过期）。', en: 'No such upload (or it expired).' },
  upload_too_large: { zh: '上传文件超过 50 MB。', en: 'The upload is larger than 50 MB.' },
  idempotency_key_reused: {
    zh: '该 Idempotency-Key 已用于另一个请求内容。',
    en: 'This Idempotency-Key was used with another request body.',
  },
  content_or_upload: {
    zh: '请提供 content 或 uploadKey 之一。',
    en: 'Give either content or uploadKey, not both.',
  },
  departed_with_filter: {
    zh: '查询离职人员时不能按颜色或在场筛选。',
    en: 'The leavers are listed without a colour or on-site filter.',
  },
  no_change_given: { zh: '请至少提供一个要更正的字段。', en: 'Give at least one field to correct.' },
  certificate_voided: {
    zh: '该证书已作废（误录），不能再更改。',
    en: 'This certificate was voided (entered in error) and cannot be changed.',
  },
  effective_on_in_past: {
    zh: '生效日期不能早于今天。',
    en: 'The effective day cannot be before today.',
  },
  subcontractor_terminated_no_new_workers: {
    zh: '该分包单位的合同已终止，不能再登记或调入其人员。',
    en: 'This subcontractor’s contract has ended: no worker can be registered with or moved to it.',
  },
  left_on_too_early: {
    zh: '离职日期最多可追溯 {days} 天。',
    en: 'A departure may be dated at most {days} days back.',
  },
  already_departed: { zh: '此人已登记离职。', en: 'This person’s departure is already recorded.' },
  not_departed: { zh: '此人未登记离职。', en: 'This person has no departure recorded.' },
  reason_required: {
    zh: '更正身份证号须填写原因。',
    en: 'Correcting an ID number needs a reason.',
  },
  internal_error: { zh: '发生意外错误，已记录。', en: 'An unexpected error occurred and was logged.' },
  // field messages
  id_number_format: {
    zh: '身份证号应为 18 位（末位可为 X）。',
    en: 'An ID number has 18 characters (the last may be X).',
  },
  id_number_birth_date: {
    zh: '身份证号中的出生日期无效。',
    en: 'The birth date inside the ID number is invalid.',
  },
  id_number_check_digit: { zh: '身份证号校验位错误。', en: 'The check digit of the ID number is wrong.' },
  calendar_date: { zh: '日期格式应为 YYYY-MM-DD。', en: 'Use a YYYY-MM-DD calendar date.' },
  expires_before_issued: { zh: '有效期截止日不能早于发证日期。', en: 'expiresOn cannot be before issuedOn.' },
  validity_too_long: {
    zh: '超过该证书类别的法定有效期（最晚 {max}）。',
    en: 'Longer than the scheme allows (at the latest {max}).',
  },
  review_outside_validity: {
    zh: '复审日期应在发证日期与有效期截止日之间。',
    en: 'reviewDueOn must lie between issuedOn and expiresOn.',
  },
  unknown_category: { zh: '未知的作业类别，可选：{allowed}。', en: 'Unknown category; one of: {allowed}.' },
  unknown_sub_type: {
    zh: '未知的操作项目，可选：{allowed}。',
    en: 'Unknown operation item; one of: {allowed}.',
  },
  mem_number_mismatch: {
    zh: '特种作业操作证号应为 "T" 加持证人身份证号。',
    en: 'A MEM certificate number is "T" followed by the holder’s ID number.',
  },
  replaced_certificate_mismatch: {
    zh: '被替换的证书必须属于同一人、同一类别和项目。',
    en: 'The replaced certificate must belong to the same person, scheme, category and item.',
  },
  home_site_not_found: { zh: '所属工地不存在或已关闭。', en: 'No such site, or it is closed.' },
  subcontractor_id_required: {
    zh: '分包单位人员需填写 subcontractorId。',
    en: 'A subcontractor worker needs subcontractorId.',
  },
  invalid_cursor: { zh: '分页游标无效。', en: 'The cursor is invalid.' },
  audit_range_inverted: { zh: '起始日期晚于结束日期。', en: 'The range starts after it ends.' },
  audit_range_too_long: {
    zh: '审计记录一次最多查询 92 天，请缩小日期范围。',
    en: 'The audit trail is read at most 92 days at a time: narrow the range.',
  },
  uscc_format: {
    zh: '统一社会信用代码应为 18 位（不含 I、O、S、V、Z）。',
    en: 'A unified social credit code has 18 characters (no I, O, S, V, Z).',
  },
  gate_exists: { zh: '该闸机已存在。', en: 'This gate already exists.' },
  badge_not_found: { zh: '该人员没有这张有效的工牌。', en: 'This person has no such active badge.' },
  batch_not_found: { zh: '批次不存在。', en: 'No such batch.' },
  no_rows: { zh: '上传内容中没有数据行。', en: 'The upload has no rows.' },
  too_many_rows: { zh: '每批最多 {max} 行。', en: 'At most {max} rows per batch.' },
  xlsx_unreadable: { zh: '无法读取该 XLSX 文件。', en: 'The XLSX file cannot be read.' },
  csv_unreadable: {
    zh: '无法读取该 CSV 文件：多处引号未闭合。',
    en: 'The CSV file cannot be read: quotes opened and never closed on many lines.',
  },
  // The ledger import (台账导入): the file, then each row's reasons, with the column named.
  ledger_unreadable: { zh: '无法读取该台账文件。', en: 'The ledger file cannot be read.' },
  ledger_columns_missing: {
    zh: '台账缺少必需的列：{columns}（可用模板或列映射）。',
    en: 'The ledger lacks required columns: {columns} (use the template or a column mapping).',
  },
  import_not_found: { zh: '导入任务不存在。', en: 'No such import.' },
  name_missing: { zh: '姓名为空。', en: 'The name is empty.' },
  name_too_long: { zh: '姓名超过 50 个字。', en: 'The name is longer than 50 characters.' },
  id_number_missing: { zh: '身份证号为空。', en: 'The ID number is empty.' },
  phone_invalid: { zh: '手机号格式不正确。', en: 'The phone number is not valid.' },
  employee_id_invalid: {
    zh: '工号只能含字母、数字和 _ . / -，最多 32 位。',
    en: 'The staff number may hold letters, digits, _ . / - only, at most 32.',
  },
  scheme_unknown: {
    zh: '无法识别证书体系（应为 特种作业/MEM、特种设备/SAMR 或 建筑施工/MOHURD）。',
    en: 'Unknown certificate scheme (expected 特种作业/MEM, 特种设备/SAMR or 建筑施工/MOHURD).',
  },
  certificate_incomplete: {
    zh: '证书信息不完整：证书体系、类别、编号、发证日期、有效期至须同时填写。',
    en: 'Incomplete certificate: scheme, category, number, issue date and expiry are all needed.',
  },
  date_unreadable: { zh: '无法识别的日期。', en: 'The date cannot be read.' },
  badge_uid_invalid: { zh: '工牌 UID 应为 8–20 位十六进制。', en: 'A badge UID is 8–20 hexadecimal digits.' },
  text_too_long: { zh: '内容过长。', en: 'The text is too long.' },
  ledger_site_unknown: {
    zh: '没有该厂区（按厂区代码或名称查找）。',
    en: 'No such site (looked up by code or name).',
  },
  subcontractor_unknown: {
    zh: '没有该分包单位（按名称或统一社会信用代码查找）。',
    en: 'No such subcontractor (looked up by name or credit code).',
  },
  badge_held_by_another: { zh: '该工牌已绑定他人。', en: 'This badge is bound to someone else.' },
  row_unreadable: { zh: '该行无法读取（引号不配对）。', en: 'The row cannot be read (an unmatched quote).' },
  registry_not_configured: {
    zh: '尚未配置全国证书查询接口。',
    en: 'The registry connection is not configured.',
  },
  thresholds_order: {
    zh: '阈值须满足 reminderDays ≥ yellowDays ≥ escalateDays。',
    en: 'Thresholds must satisfy reminderDays ≥ yellowDays ≥ escalateDays.',
  },
  // inbox
  review_task_title: { zh: '证书复审/换证任务：{name}', en: 'Certificate review task: {name}' },
  review_task_body: {
    zh: '{name} 的证书即将到期或需复审，请尽快办理。',
    en: '{name} has a certificate expiring or due for review; please act now.',
  },
  freeze_notice_title: { zh: '已冻结：{name}', en: 'Frozen: {name}' },
  freeze_notice_body: {
    zh: '{name} 的证书状态为红色，门禁通行和派工已冻结。',
    en: '{name} is red: gate access and dispatch are frozen.',
  },
  ticket_suspended_title: { zh: '作业票已暂停：{name}', en: 'Work ticket suspended: {name}' },
  ticket_suspended_body: {
    zh: '{name} 的证书状态变为红色，其所在作业票 {ticketId} 已立即暂停。',
    en: '{name} turned red: work ticket {ticketId} is suspended at once.',
  },
  travel_alert_title: { zh: '异地打卡预警：{name}', en: 'Check-ins too far apart: {name}' },
  travel_alert_body: {
    zh: '{name} 在 {hours} 小时内先后在相距 {km} 公里的场站 {fromSiteId} 和 {toSiteId} 打卡，超出异地作业规则，请核实是否冒用工牌或疲劳作业。',
    en: '{name} checked in at sites {fromSiteId} and {toSiteId}, {km} km apart, within {hours} h, against the distance rule: check for a borrowed badge or a worker who travelled overnight.',
  },
  permit_signature_request_title: { zh: '待会签跨场许可：{name}', en: 'Cross-site permit to sign: {name}' },
  permit_signature_request_body: {
    zh: '{name} 申请跨场作业，需要本场站安全负责人会签（POST /permits/{permitId}/approvals）。',
    en: '{name} asks to work at another site: this site’s safety manager must co-sign (POST /permits/{permitId}/approvals).',
  },
  permit_not_found: { zh: '跨场许可不存在。', en: 'No such cross-site permit.' },
  permit_same_site: {
    zh: '跨场许可的两个场站不能相同。',
    en: 'A cross-site permit needs two different sites.',
  },
  permit_rules_broken: { zh: '跨场许可申请不符合规则。', en: 'The permit request breaks a rule.' },
  not_home_site: {
    zh: '{personId} 的所属场站不是申请的出发场站（{homeSiteId}）。',
    en: '{personId} does not belong to the site the permit starts from (home site: {homeSiteId}).',
  },
  permit_already_signed: { zh: '该场站已会签。', en: 'That site has already signed.' },
  permit_finished: { zh: '跨场许可已结束（{status}）。', en: 'The permit is already {status}.' },
  one_signature_per_person: {
    zh: '同一人不能同时代表两个场站会签。',
    en: 'One person cannot sign for both sites.',
  },
  unfreeze_notice_title: { zh: '已解冻：{name}', en: 'Unfrozen: {name}' },
  unfreeze_notice_body: {
    zh: '{name} 的证书状态已恢复，门禁通行和派工已解冻。',
    en: '{name} is no longer red: gate access and dispatch are allowed again.',
  },
  blacklist_notice_title: { zh: '联盟黑名单告知：{name}', en: 'Alliance blacklist notice: {name}' },
  blacklist_notice_body: {
    zh: '{name} 因 {reasonCode} 被列入联盟黑名单（编号 {entryId}），有效期至 {expiresOn}。期间各成员单位工地不予进场、不予派工。与联盟伙伴共享的只是无法反推身份的假名，不含姓名和身份证号。如有异议，请于 {appealBy} 前本人或所属分包单位提出申诉。',
    en: '{name} was entered on the alliance blacklist ({reasonCode}, entry {entryId}) until {expiresOn}: no entry to any member site and no dispatch until then. Partner associations receive only a pseudonym that cannot be turned back into a name or ID number. To appeal, you or your subcontractor may do so before {appealBy}.',
  },
  blacklist_appeal_title: { zh: '黑名单申诉待处理：{name}', en: 'Blacklist appeal to decide: {name}' },
  blacklist_appeal_body: {
    zh: '{name} 对黑名单记录 {entryId} 提出申诉，请集团管理员复核并作出维持或移除的决定。',
    en: '{name} appealed blacklist entry {entryId}: a group admin must uphold or remove it.',
  },
  blacklist_decision_title: { zh: '黑名单申诉结果：{name}', en: 'Blacklist appeal decided: {name}' },
  blacklist_decision_body: {
    zh: '黑名单记录 {entryId} 的复核已完成，结果见详情。',
    en: 'Blacklist entry {entryId} has been reviewed: see the decision.',
  },
  // [ … ] is said only when its parameters are given: a partner's entry names its association.
  subcontractor_terminated: {
    zh: '所属分包单位的合同自 {date} 起已终止，不得进场、不得派工。',
    en: 'Their subcontractor’s contract ended on {date}: no entry or dispatch.',
  },
  departed: {
    zh: '已于 {date} 离职，不得进场、不得派工。',
    en: 'Left the tenant on {date}: no entry or dispatch.',
  },
  blacklisted: {
    zh: '已列入联盟黑名单[（由联盟成员 {organisation} 列入）]，至 {date} 前不得进场、不得派工。',
    en: 'On the alliance blacklist[, entered by {organisation}]: no entry or dispatch before {date}.',
  },
  person_blacklisted: {
    zh: '此人已列入联盟黑名单（[由联盟成员 {organisation} 列入，]至 {expiresOn}），不得进场、派工或办理入场核验。',
    en: 'This person is on the alliance blacklist[, entered by {organisation}] (until {expiresOn}): no entry, dispatch or admission.',
  },
  admission_refused_blacklisted: {
    zh: '不能办理入场核验：此人已列入联盟黑名单。',
    en: 'Admission refused: this person is on the alliance blacklist.',
  },
  signature_missing: {
    zh: '缺少 HTTP 消息签名（Signature / Signature-Input）。',
    en: 'An HTTP message signature (Signature, Signature-Input) is required.',
  },
  digest_mismatch: { zh: 'Content-Digest 与请求体不符。', en: 'Content-Digest does not match the body.' },
  signature_params_missing: {
    zh: '签名须包含 created、keyid 和 nonce。',
    en: 'The signature must carry created, keyid and nonce.',
  },
  signature_expired: {
    zh: '签名时间超出 5 分钟窗口。',
    en: 'The signature is older than 5 minutes (or in the future).',
  },
  bad_signature: { zh: '签名验证失败。', en: 'The signature does not verify.' },
  unknown_key: {
    zh: '签名的 keyid 不属于任何在册的合作方。',
    en: 'The signature’s keyid belongs to no registered partner.',
  },
  replayed_request: {
    zh: '该请求已处理过（nonce 重复）。',
    en: 'This request was seen before (nonce reused).',
  },
  operation_not_allowed: {
    zh: '该合作方无权执行 {operation}。',
    en: 'This partner may not use {operation}.',
  },
  oprf_rate_exceeded: {
    zh: '查询过于频繁：每分钟最多 {perMinute} 次。',
    en: 'Too many look-ups: at most {perMinute} a minute.',
  },
  not_a_group_element: { zh: '不是有效的 P-256 群元素。', en: 'Not a valid P-256 group element.' },
  not_ed25519_key: { zh: '须为 Ed25519 公钥（SPKI PEM）。', en: 'Must be an Ed25519 public key (SPKI PEM).' },
  federation_hub_not_configured: {
    zh: '本部署未配置联盟枢纽租户。',
    en: 'This deployment has no alliance hub tenant configured.',
  },
  not_the_hub: {
    zh: '只有联盟枢纽单位的集团管理员可管理合作方。',
    en: 'Only the hub tenant’s group admins manage partners.',
  },
  partner_exists: { zh: '合作方已存在。', en: 'The partner exists already.' },
  partner_not_found: { zh: '合作方不存在。', en: 'No such partner.' },
  already_blacklisted: { zh: '此人已在黑名单中。', en: 'This person is already on the blacklist.' },
  blacklist_entry_not_found: { zh: '黑名单记录不存在。', en: 'No such blacklist entry.' },
  not_yours: {
    zh: '只能由本人或其所属分包单位申诉。',
    en: 'Only the person or their subcontractor may appeal.',
  },
  not_in_force: { zh: '该黑名单记录已不再有效。', en: 'This entry is no longer in force.' },
  appeal_window_closed: { zh: '申诉期限已过。', en: 'The time to appeal has passed.' },
  foreign_evidence: {
    zh: '证据只能是本单位入场核验留存的图像。',
    en: 'Evidence must be this tenant’s own admission images.',
  },
  evidence_not_found: {
    zh: '找不到该证据文件：它未上传、已过保存期或已被删除。',
    en: 'No such evidence file: it was never uploaded, has passed its retention or was deleted.',
  },
  site_induction_title: { zh: '入场安全须知与答题：{name}', en: 'Site safety notice and quiz: {name}' },
  site_induction_body: {
    zh: '{name} 首次进入该工地：请阅读安全须知并完成 3 道情景题。',
    en: '{name} is new to this site: read the safety notice and answer the 3 situational questions.',
  },
  quiz_not_found: { zh: '答题不存在。', en: 'No such quiz.' },
  quiz_needs_supervision: {
    zh: '已答错 {attempts} 次：请与工地安全员一起完成本次答题。',
    en: 'Failed {attempts} times: take this quiz with the site’s safety staff.',
  },
  quiz_already_passed: { zh: '该答题已通过。', en: 'This quiz has already been passed.' },
  answers_mismatch: {
    zh: '须对本次答题的每道题各作答一次。',
    en: 'Answer each question of this quiz exactly once.',
  },
  site_safety_not_found: { zh: '该工地尚未设置安全须知。', en: 'This site has no safety notice yet.' },
  answer_out_of_range: { zh: '正确答案须是其中一个选项。', en: 'The answer must be one of the options.' },
  duplicate_question_id: { zh: '题目编号重复。', en: 'Question ids must be unique.' },
  fatigue_thresholds_order: {
    zh: '24 小时累计上限不得小于连续在场上限。',
    en: 'The 24-hour limit may not be below the continuous limit.',
  },
  gate_not_found: { zh: '该工地没有这个在用的闸机。', en: 'This site has no such active gate.' },
  no_review_for_scheme: { zh: '该类证书没有复审。', en: 'This kind of certificate has no interim review.' },
  no_review_due: {
    zh: '该证书在到期前没有待办的复审。',
    en: 'No review is due on this certificate before it expires.',
  },
  review_too_late: {
    zh: '已过复审期限，证书失效，需重新取证。',
    en: 'The review was due earlier: the certificate is invalid and a new one is needed.',
  },
  review_outside_window: {
    zh: '复审须在到期日前 60 天内办理。',
    en: 'A review is done within the 60 days before it is due.',
  },
  not_extendable: {
    zh: '该类证书不能延期，请录入新证。',
    en: 'This kind of certificate is not extended: enter the new one.',
  },
  certificate_expired: {
    zh: '证书已过期，不能延期。',
    en: 'The certificate has expired and cannot be extended.',
  },
  extension_outside_window: {
    zh: '延期须在有效期届满前 3 个月内办理。',
    en: 'An extension is granted within the 3 months before expiry.',
  },
  extension_expiry_invalid: {
    zh: '新的有效期须晚于原有效期，且至多延长 2 年。',
    en: 'The new expiry must be later than the old one, by at most 2 years.',
  },
  date_in_future: { zh: '日期不能晚于今天。', en: 'The date cannot be in the future.' },
  certificate_replaced: {
    zh: '该证书已被换发的新证替代。',
    en: 'This certificate has been replaced by its renewal.',
  },
  certificate_revoked: { zh: '该证书已被吊销。', en: 'This certificate has been revoked.' },
  // status reasons
  no_certificate: { zh: '没有任何有效证书。', en: 'Holds no certificate.' },
  revoked: { zh: '证书已于 {date} 吊销。', en: 'Certificate revoked on {date}.' },
  expired: { zh: '证书已于 {date} 过期。', en: 'Certificate expired on {date}.' },
  review_missed: {
    zh: '未按期复审（应于 {date} 前），证书失效。',
    en: 'Review missed (due {date}); the certificate is invalid.',
  },
  vacuum_period: {
    zh: '处于换证空窗期，至 {date}。',
    en: 'In the vacuum period between old and new certificate until {date}.',
  },
  not_yet_valid: { zh: '证书尚未生效（{date} 起）。', en: 'Certificate not valid before {date}.' },
  expiring: {
    zh: '证书将于 {date} 到期，剩余 {days} 天。',
    en: 'Certificate expires on {date}: {days} days left.',
  },
  expiring_urgent: {
    zh: '证书将于 {date} 到期，仅剩 {days} 天！',
    en: 'Certificate expires on {date}: only {days} days left!',
  },
  review_due: { zh: '需于 {date} 前复审，剩余 {days} 天。', en: 'Review due by {date}: {days} days left.' },
  review_due_urgent: {
    zh: '需于 {date} 前复审，仅剩 {days} 天！',
    en: 'Review due by {date}: only {days} days left!',
  },
  reminder_window: { zh: '{date} 到期，已进入提醒期。', en: 'Due on {date}: inside the reminder window.' },
  forgery_review: {
    zh: '证书图片疑似伪造，已锁定，待人工复核。',
    en: 'The certificate image looks forged: locked until a person reviews it.',
  },
  forgery_confirmed: { zh: '经人工复核确认为伪造证书。', en: 'Confirmed forged on review.' },
  own_code_only: {
    zh: '验证码只能由本人账号获取。',
    en: 'A verification code is only issued to the worker’s own account.',
  },
  forgery_not_pending: {
    zh: '该证书没有待复核的伪造嫌疑（当前：{state}）。',
    en: 'This certificate has no forgery suspicion awaiting review (now: {state}).',
  },
  registry_revoked: {
    zh: '全国证书查询系统显示该证已吊销。',
    en: 'The national registry shows this certificate revoked.',
  },
  registry_expired: {
    zh: '全国证书查询系统显示该证已过期。',
    en: 'The national registry shows this certificate expired.',
  },
  registry_not_found: {
    zh: '全国证书查询系统中查无此证，疑似伪造。',
    en: 'The national registry has no such certificate: possibly forged.',
  },
  registry_mismatch: {
    zh: '与全国证书查询系统记录不一致，需人工核查。',
    en: 'Differs from the national registry record: check by hand.',
  },
  registry_name_review: {
    zh: '姓名与登记记录仅拼写/曾用名不同，需人工确认。',
    en: 'The name differs from the registry only by romanisation or a former name: confirm by hand.',
  },
  certificate_unreadable: {
    zh: '客户端证书不是有效的 PEM 格式 X.509 证书。',
    en: 'The client certificate is not a readable PEM X.509 certificate.',
  },
  private_key_unreadable: {
    zh: '私钥不是有效的 PEM 格式私钥。',
    en: 'The private key is not a readable PEM key.',
  },
  private_key_mismatch: {
    zh: '私钥与客户端证书不匹配。',
    en: 'The private key does not belong to the certificate.',
  },
  // work tickets (X4)
  'rules-broken': { zh: '违反业务规则', en: 'Business rules broken' },
  dispatch_rules_broken: {
    zh: '作业票违反 {count} 条派工规则，均已列出。',
    en: 'The ticket breaks {count} dispatch rule(s), all listed.',
  },
  window_invalid: { zh: '计划开始时间须早于结束时间。', en: 'The planned start must be before the end.' },
  grade_invalid: { zh: '作业级别无效，可选：{allowed}。', en: 'Unknown grade; allowed: {allowed}.' },
  window_too_long: {
    zh: '作业票有效期 {hours} 小时，超过上限 {maxHours} 小时。',
    en: 'The permit runs {hours} h, over the limit of {maxHours} h.',
  },
  fatigue_limit: {
    zh: '第 {shift} 个计划班次连续作业 {minutes} 分钟，超过疲劳上限 {max} 分钟。',
    en: 'Planned shift {shift} of {minutes} min is over the fatigue limit of {max} min.',
  },
  fatigue_24h_limit: {
    zh: '自 {from} 起 24 小时内计划作业 {minutes} 分钟，超过上限 {max} 分钟。',
    en: 'The shifts planned in the 24 h from {from} add up to {minutes} min, over the limit of {max} min.',
  },
  shift_outside_window: {
    zh: '第 {shift} 个计划班次不在作业票的有效时段内（或结束早于开始）。',
    en: 'Planned shift {shift} is not inside the ticket’s window (or ends before it starts).',
  },
  shifts_overlap: {
    zh: '第 {shift} 个计划班次与前一个班次重叠。',
    en: 'Planned shift {shift} overlaps the one before.',
  },
  person_frozen: {
    zh: '{personId} 已冻结（红色），不得派工。',
    en: '{personId} is frozen (red) and cannot be dispatched.',
  },
  person_unknown: { zh: '人员 {personId} 不存在。', en: 'No such person: {personId}.' },
  person_engagement_ended: {
    zh: '{personId} 自 {on} 起已不在本单位作业（[{reason}]），不得派工。',
    en: '{personId} no longer works for the tenant from {on}[ ({reason})] and cannot be dispatched.',
  },
  certificate_missing: {
    zh: '{personId} 担任 {role} 须持有以下证书之一：{accepted}。',
    en: '{personId} needs one of these certificates as {role}: {accepted}.',
  },
  certificate_not_valid_for_window: {
    zh: '{personId} 的证书不能覆盖整个作业时段（{role}）。',
    en: '{personId}’s certificate is not in force through the whole window ({role}).',
  },
  url_invalid: { zh: '不是有效的网址。', en: 'Not a valid URL.' },
  url_scheme: { zh: '网址须使用 https。', en: 'The URL must use https.' },
  url_userinfo: { zh: '网址不能包含用户名或密码。', en: 'The URL must not carry a user name or password.' },
  url_private_address: {
    zh: '网址指向内网、回环、链路本地或云元数据地址，不允许。',
    en: 'The URL points at a private, loopback, link-local or cloud metadata address.',
  },
  url_unresolvable: {
    zh: '网址的主机名无法解析。',
    en: 'The URL’s host name does not resolve.',
  },
  webhook_not_found: { zh: '订阅不存在。', en: 'No such webhook subscription.' },
  webhook_delivery_not_found: { zh: '投递记录不存在。', en: 'No such delivery.' },
  document_not_found: { zh: '档案文件不存在。', en: 'No such document.' },
  document_stored: { zh: '该文件已上传完成。', en: 'This document is already stored.' },
  document_type_not_allowed: {
    zh: '此类档案不接受该文件类型（视频：mp4/mov/webm；其他：PDF、JPEG、PNG）。',
    en: 'This kind of document does not take that file type (videos: mp4/mov/webm; others: PDF, JPEG, PNG).',
  },
  document_too_large: {
    zh: '文件大小超出此类档案的上限（视频 2 GB，其他 50 MB，体检报告 20 MB）。',
    en: 'The file is larger than this kind allows (videos 2 GB, others 50 MB, medical reports 20 MB).',
  },
  document_incomplete: { zh: '文件尚未完整上传。', en: 'The file is not completely uploaded.' },
  document_parts_missing: { zh: '还有 {missing} 个分片未上传。', en: '{missing} part(s) not uploaded yet.' },
  document_not_uploaded: { zh: '尚未收到文件。', en: 'No file has arrived yet.' },
  document_upload_expired: {
    zh: '分片上传超过 1 天未完成，已被清理：请重新申报并上传该文件。',
    en: 'The upload was left unfinished for over a day and was cleared: declare the document again and upload it.',
  },
  document_size_mismatch: {
    zh: '收到的文件（{received} 字节）与申报的大小（{declared} 字节）或类型不符，已删除，请重新上传。',
    en: 'The file received ({received} bytes) does not match the declared size ({declared} bytes) or type; it was deleted: upload it again.',
  },
  audit_range_invalid: {
    zh: '审计档案的日期范围无效：起止日期需在今天及以前，且不超过 31 天。',
    en: 'Invalid audit range: from ≤ to ≤ today, at most 31 days.',
  },
  archive_not_found: { zh: '档案包不存在。', en: 'No such archive.' },
  archive_not_ready: { zh: '档案包尚未生成完成。', en: 'The archive is not ready yet.' },
  archive_expired: {
    zh: '档案包已过保存期，文件已删除，请重新生成。',
    en: 'The archive is past its last day and its file is deleted: build a new one.',
  },
  share_not_found: { zh: '分享链接不存在。', en: 'No such shared link.' },
  events_required: { zh: '请至少选择一个事件。', en: 'Name at least one event.' },
  not_an_insurer_event: {
    zh: '保险公司只能订阅证书失效、停工培训、复工和违章积分事件。',
    en: 'An insurer subscribes only to certificate lapses, suspensions, reinstatements and points.',
  },
  not_an_insurer: {
    zh: '这不是保险公司的订阅，不能设置保险条款。',
    en: 'This subscription is not an insurer’s: it has no insurer terms to change.',
  },
  event_not_found: {
    zh: '没有发给该保险公司的此事件。',
    en: 'No such event was sent to this insurer.',
  },
  url_internal_name: {
    zh: '网址的主机名是内部名称（如 localhost、*.internal），不允许。',
    en: 'The URL’s host is an internal name (such as localhost or *.internal).',
  },
  other_site_signs_for_itself: {
    zh: '您已签署本方；另一厂区（{siteId}）须由其本厂区的安全负责人签署。',
    en: 'You have signed your side; the other site ({siteId}) must be signed by its own safety manager.',
  },
  role_not_in_type: {
    zh: '作业类型 {type} 没有此角色，可选：{roles}。',
    en: 'Type {type} has no such role; one of: {roles}.',
  },
  practical_reexam_required: {
    zh: '{personId} 在本系统中没有近 {months} 个月内从事该作业的记录（应急管理部令第30号第32条）。如已离岗 {months} 个月以上，须先通过实际操作复考并登记（POST /people/{personId}/practical-reexams）；如其近期在别处从事过该作业，由人事登记最近一次作业日期（POST /people/{personId}/practice-declarations）。',
    en: '{personId} has no record of this work in the last {months} months (MEM Order 30 Art. 32). If they have been away that long, record a passed practical re-exam (POST /people/{personId}/practical-reexams); if they did this work elsewhere lately, hr declares their last practice (POST /people/{personId}/practice-declarations).',
  },
  duplicate_person: {
    zh: '同一人在此列表中出现了不止一次。',
    en: 'The same person appears more than once in this list.',
  },
  person_or_person_id: {
    zh: '请给出 personId（已登记的人）或 person（新登记的人），二者选一。',
    en: 'Give either personId (someone registered) or person (someone new), not both or neither.',
  },
  practice_type_repeated: {
    zh: '同一作业类别只能申报一次实际作业日期。',
    en: 'Declare each work type’s last practice once.',
  },
  practice_in_future: {
    zh: '最近作业日期不能晚于今天。',
    en: 'The last practice cannot be dated in the future.',
  },
  practice_not_newer: {
    zh: '已登记了更晚的最近作业日期。',
    en: 'A later last practice is already on record.',
  },
  too_far_too_soon: {
    zh: '{personId} 24 小时内在相距 {km} 公里的 {fromSiteId} 签到过。',
    en: '{personId} checked in {km} km away ({fromSiteId}) within the hours before the start.',
  },
  cross_site_permit_required: {
    zh: '{personId} 属于 {homeSiteId}，跨场作业须有双方安全负责人会签的跨场许可。',
    en: '{personId} belongs to {homeSiteId}: cross-site work needs a permit co-signed by both sites’ safety managers.',
  },
  guardian_required: { zh: '须指定监护人。', en: 'A guardian is required.' },
  guardian_is_worker: { zh: '监护人不得同时作业。', en: 'The guardian cannot also work on the ticket.' },
  guardian_overloaded: {
    zh: '监护人已在监护 {guarding} 张作业票（上限 {max}）。',
    en: 'The guardian already guards {guarding} ticket(s) (limit {max}).',
  },
  site_unknown: { zh: '场站不存在。', en: 'No such site.' },
  ticket_not_found: { zh: '作业票不存在。', en: 'No such work ticket.' },
  ticket_state: {
    zh: '作业票当前状态为 {status}，不能执行此操作。',
    en: 'The ticket is {status}: this step is not possible now.',
  },
  not_an_approver: { zh: '您不是该作业票的审批人。', en: 'You are not an approver of this ticket.' },
  window_not_started: { zh: '作业时段尚未开始。', en: 'The ticket’s window has not started.' },
  window_ended: { zh: '作业时段已结束。', en: 'The ticket’s window has ended.' },
  gas_analysis_required: {
    zh: '须在作业开始前 {minutes} 分钟内完成合格的气体分析。',
    en: 'A passing gas analysis taken within {minutes} min before the start is required.',
  },
  gas_analysis_not_needed: { zh: '该作业类型无需气体分析。', en: 'This work type needs no gas analysis.' },
  gas_analysis_in_future: {
    zh: '气体分析时间不能晚于当前时间。',
    en: 'A gas analysis cannot be taken in the future.',
  },
  board_link_bad_signature: { zh: '看板链接无效。', en: 'The board link is not valid.' },
  board_link_wrong_kind: { zh: '该链接不是作业看板链接。', en: 'This is not a permit-board link.' },
  board_link_expired: {
    zh: '看板链接已过期，请向场站负责人索取新链接。',
    en: 'The board link has expired: ask the site for a new one.',
  },
  reexam_not_newer: {
    zh: '已记录更近日期的复考。',
    en: 'A later re-exam in this work type is already recorded.',
  },
  approver_unknown: { zh: '审批人 {personId} 不存在。', en: 'No such approver: {personId}.' },
  reexam_in_future: { zh: '复考日期不能晚于今天。', en: 'A re-exam cannot be dated in the future.' },
  renewal_entered: { zh: '新证已录入，{date} 生效。', en: 'Renewal entered, valid from {date}.' },
  // Notifications (N1–N3): why a channel did not reach someone, and what to do.
  channel_wecom: { zh: '企业微信', en: 'WeCom' },
  channel_dingtalk: { zh: '钉钉', en: 'DingTalk' },
  channel_sms: { zh: '短信', en: 'SMS' },
  channel_email: { zh: '邮件', en: 'E-mail' },
  other_channel_now: {
    zh: '{channel} 现在就能送达此人，但不在本规则中：可加入规则。',
    en: '{channel} reaches this person now but is not in the rule: add it.',
  },
  other_channel_if_enabled: {
    zh: '{channel} 启用后即可送达此人（此人已绑定）。',
    en: '{channel} would reach this person once switched on (they are bound).',
  },
  other_channels_summary: {
    zh: '{channel}（不在规则中）：现在可送达 {now} 人，启用后可送达 {ifEnabled} 人，共 {people} 人。',
    en: '{channel} (not in the rule): reaches {now} now, {ifEnabled} once switched on, of {people}.',
  },
  cause_channel_disabled: {
    zh: '该渠道未启用（例如企业微信应用从未开通）。',
    en: 'The channel is not enabled (e.g. the WeCom app was never switched on).',
  },
  cause_not_configured: { zh: '该渠道缺少配置或密钥。', en: 'The channel lacks its settings or secret.' },
  cause_not_bound: {
    zh: '此人未绑定该渠道（无用户 ID、手机号与工号未核验或无邮箱）。',
    en: 'The person is not bound on this channel (no user id, no phone verified with the employee id, or no email).',
  },
  cause_not_following: {
    zh: '此人未关注/未加入企业微信应用，或不在应用可见范围内。',
    en: 'The person does not follow the WeCom app or is outside its visible range.',
  },
  cause_invalid_credentials: {
    zh: '渠道凭据无效（密钥错误或已重置）。',
    en: 'The channel’s credentials are invalid (wrong or reset secret).',
  },
  cause_token_expired: { zh: '访问令牌已过期。', en: 'The access token expired.' },
  cause_ip_not_allowed: {
    zh: '调用方 IP 不在应用的可信 IP 列表中。',
    en: 'The caller’s IP is not in the app’s trusted IP list.',
  },
  cause_rate_limited: { zh: '发送过于频繁，被服务商限流。', en: 'Sent too fast: the provider throttles.' },
  cause_content_too_long: {
    zh: '消息内容超过长度上限。',
    en: 'The message is longer than the provider allows.',
  },
  cause_invalid_webhook: {
    zh: '群机器人 webhook 无效（常见原因：把整条 URL 填到了 key 的位置）。',
    en: 'The group robot’s webhook is invalid (usually the whole URL pasted where the key belongs).',
  },
  cause_keyword_missing: {
    zh: '消息不含机器人安全设置中的关键词。',
    en: 'The message lacks the robot’s security keyword.',
  },
  cause_bad_signature: {
    zh: '机器人加签校验失败（密钥或时间戳不对）。',
    en: 'The robot’s signature did not match (secret or timestamp).',
  },
  cause_provider_quota_exhausted: {
    zh: '服务商的发送额度已用完。',
    en: 'The provider’s sending limit is used up.',
  },
  cause_balance_exhausted: { zh: '短信账户余额不足，已停机。', en: 'The SMS account is out of balance.' },
  cause_tenant_quota_exhausted: {
    zh: '本月短信额度为零或已用完。',
    en: 'This month’s SMS quota is zero or used up.',
  },
  cause_outside_mainland: {
    zh: '调用方不在中国大陆，短信服务拒绝。',
    en: 'The caller is outside the mainland: the SMS service refuses it.',
  },
  cause_template_not_approved: {
    zh: '短信签名或模板未审核通过。',
    en: 'The SMS signature or template is not approved.',
  },
  cause_permission_denied: { zh: 'RAM 用户缺少发送权限。', en: 'The RAM user lacks the permission to send.' },
  cause_suppressed: {
    zh: '该邮箱曾退信或投诉，已停止发送。',
    en: 'The address bounced or complained: sending to it stopped.',
  },
  cause_number_unreachable: {
    zh: '运营商回执：号码停机、空号或状态异常，短信未到达手机。',
    en: 'The carrier’s receipt: the number is out of service or suspended; the SMS did not reach the handset.',
  },
  cause_provider_down: { zh: '服务商暂时无法访问。', en: 'The provider does not answer for now.' },
  cause_unknown: {
    zh: '服务商返回了未识别的错误。',
    en: 'The provider answered an error we do not recognise.',
  },
  cause_rule_single_channel: {
    zh: '规则只配置了一个渠道，该渠道失败时无人收到。',
    en: 'The rule has a single channel: when it fails, nobody is reached.',
  },
  cause_rule_without_channels: {
    zh: '规则未配置任何渠道，只进站内信。',
    en: 'The rule has no channel: the inbox only.',
  },
  cause_unreachable: {
    zh: '规则的所有渠道都到达不了此人。',
    en: 'None of the rule’s channels reaches the person.',
  },
  fix_enable_channel: { zh: '启用该渠道（可一键完成）。', en: 'Enable the channel (one click).' },
  fix_configure_channel: {
    zh: '在渠道设置中填写配置和密钥。',
    en: 'Fill in the channel’s settings and secret.',
  },
  fix_send_binding_guide: {
    zh: '通过能到达此人的渠道发送绑定/关注指引（可一键完成）。',
    en: 'Send the binding guide through a channel that reaches them (one click).',
  },
  fix_bind_phone: {
    zh: '登记手机号并与工号一起核验；可先发送绑定指引。',
    en: 'Record the phone and verify it with the employee id; the binding guide can go first.',
  },
  fix_raise_sms_quota: {
    zh: '提高本月短信额度（可一键完成）。',
    en: 'Raise the monthly SMS quota (one click).',
  },
  fix_use_redundant_mode: {
    zh: '把规则改为冗余模式并增加渠道（可一键完成）。',
    en: 'Switch the rule to redundant mode (one click) and add channels.',
  },
  fix_add_channel: {
    zh: '为规则增加能到达此人的渠道。',
    en: 'Add a channel to the rule that reaches the person.',
  },
  fix_check_credentials: {
    zh: '在服务商后台核对并重新填写密钥。',
    en: 'Check the secret in the provider’s console and enter it again.',
  },
  fix_check_provider_console: {
    zh: '在服务商后台查看该错误码的处理办法。',
    en: 'Look the code up in the provider’s console.',
  },
  required_to_enable: { zh: '启用该渠道需要填写此项。', en: 'Required to enable the channel.' },
  mail_not_configured: {
    zh: '本部署未配置发件地址，邮件渠道不可用。',
    en: 'This deployment has no sender address: email is not available.',
  },
  channel_refused: {
    zh: '{channel}：服务商拒绝了验证调用（{cause}，{providerCode}）。',
    en: '{channel}: the provider refused the check ({cause}, {providerCode}).',
  },
  channel_check_failed: {
    zh: '{count} 个渠道的验证调用被服务商拒绝，设置未保存。',
    en: '{count} channel(s) were refused by the provider’s check: nothing was saved.',
  },
  notification_not_found: { zh: '未找到该通知。', en: 'No such notification.' },
  channel_not_configured: {
    zh: '该渠道尚未配置，无法直接启用。',
    en: 'The channel is not configured yet: it cannot simply be switched on.',
  },
  invalid_webhook: {
    zh: '群机器人 webhook 无效：请填写 key（企业微信）或 access_token（钉钉），或完整的 webhook 地址。',
    en: 'Invalid robot webhook: give the key (WeCom) or access_token (DingTalk), or the whole webhook URL.',
  },
  duplicate_channel: { zh: '渠道重复。', en: 'A channel is listed twice.' },
  binding_guide_title: {
    zh: '请绑定消息接收渠道：{name}',
    en: 'Please bind your notification channels: {name}',
  },
  binding_guide_body: {
    zh: '{name}，证书到期、冻结等安全提醒需要送达到你本人。请在企业微信中加入并关注“特种作业安全”应用，并在工地人事处核验手机号和工号。',
    en: '{name}, certificate reminders and freeze notices must reach you. Please join and follow the “Special operations safety” app in WeCom and have your phone verified with your employee id at the site office.',
  },
  account_invitation_title: {
    zh: '特种作业安全：开通你的账号',
    en: 'Special operations safety: open your account',
  },
  account_invitation_body: {
    zh: '{name}，你已受邀开通本人账号，可查看证书状态、提醒和工地答题。首次登录后输入邀请码 {code}（{invitationExpiresAt} 前有效，仅可使用一次）。',
    en: '{name}, you are invited to your own account: your certificates’ status, notices and site quizzes. After your first sign-in enter the code {code} (works once, until {invitationExpiresAt}).',
  },
  invitation_mail_subject: { zh: '特种作业安全：账号邀请', en: 'Special operations safety: your invitation' },
  invitation_mail_body: {
    zh: '你已受邀以“{role}”身份使用特种作业安全系统（{tenant}）。首次登录后输入邀请码 {code}，{invitationExpiresAt} 前有效，仅可使用一次。',
    en: 'You are invited to the special operations safety system ({tenant}) as “{role}”. After your first sign-in enter the code {code}; it works once, until {invitationExpiresAt}.',
  },
  undelivered_alert_title: { zh: '通知未送达：{name}', en: 'Notification not delivered: {name}' },
  undelivered_alert_body: {
    zh: '发给 {name} 的通知（{kind}）所有渠道均未送达，请当面告知并使用“一键诊断”查找原因。',
    en: 'A notification ({kind}) to {name} reached them on no channel: tell them in person and run the diagnosis to find out why.',
  },
} satisfies Catalogue;

/** Every code with a text: a code missing from the catalogue (or a language of it) fails `tsc`. */
export type MessageCode = keyof typeof MESSAGES;

/** Whether a string from outside the code (a stored reason, a provider's answer) has a text. */
export const isMessageCode = (code: string): code is MessageCode => Object.hasOwn(MESSAGES, code);

export function message(
  code: MessageCode,
  lang: Language,
  params: Record<string, string | number | undefined> = {},
): string {
  const entry: { zh: string; en: string } | undefined = MESSAGES[code];
  if (!entry) return code;
  // An optional part "[…]" stays only when every parameter in it is given.
  const given = (part: string) =>
    [...part.matchAll(/\{(\w+)\}/g)].every((m) => params[m[1] as string] !== undefined);
  const text = entry[lang].replace(/\[([^\]]*)\]/g, (_, part: string) => (given(part) ? part : ''));
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    // A text with a hole ("可选：。", " 个渠道…") is a bug of the caller: the tests make it fail.
    if (value === undefined && process.env.STRICT_MESSAGES === '1')
      throw new Error(`message ${code} rendered without its parameter {${name}}`);
    return String(value ?? '');
  });
}
