// Every HTTP route, once: the CDK HTTP API (infra/stacks/api-stack.ts), the local gateway
// (infra/local/gateway.ts), the request validation in the handlers and the OpenAPI
// document are all generated from this list. Each capability's routes live in
// schemas/routes/<capability>.ts, so a Lambda bundles only its own.

import type { RouteDefinition } from './route.ts';
import {
  completeDocumentUpload,
  createArchive,
  declareDocument,
  getArchive,
  getDocument,
  inspectArchive,
  inspectArchiveFile,
  listDocuments,
  resumeDocumentUpload,
  revokeArchiveShare,
  shareArchive,
} from './routes/archives.ts';
import {
  bindBadge,
  createGate,
  getAllowlistKeys,
  listGates,
  retireGate,
  revokeBadge,
} from './routes/badges.ts';
import { createVerificationBatch, getBatchReviewList, getVerificationBatch } from './routes/batches.ts';
import {
  appealBlacklistEntry,
  createBlacklistEntry,
  decideBlacklistEntry,
  getBlacklistEntry,
  listBlacklist,
} from './routes/blacklist.ts';
import {
  createCertificate,
  getCertificate,
  getPersonStatus,
  listCertificates,
  reviewCertificateForgery,
  stampCertificate,
  updateCertificate,
  voidCertificate,
} from './routes/certificates.ts';
import { getRadar, getRadarPng, getRadarSvg } from './routes/diagnostics.ts';
import {
  createPartner,
  evaluateOprf,
  getFederationKeys,
  listPartners,
  pullFederatedEntries,
  pushFederatedEntries,
  updatePartner,
} from './routes/federation.ts';
import { health } from './routes/health.ts';
import { getHeatmap, getHeatmapPerson } from './routes/heatmap.ts';
import {
  createImport,
  createImportUpload,
  getImport,
  getImportRows,
  getImportTemplate,
} from './routes/imports.ts';
import {
  applyNotificationFix,
  diagnoseNotifications,
  getBindings,
  getChannelSettings,
  getNotification,
  getNotificationRules,
  getPersonNotifications,
  putBindings,
  putChannelSettings,
  putNotificationRules,
} from './routes/notifications.ts';
import {
  checkIdentity,
  createOnboardingUpload,
  getLiveness,
  getOnboarding,
  giveConsent,
  listConsents,
  listConsentTexts,
  matchFace,
  readDocument,
  reviewOnboarding,
  startLiveness,
  startOnboarding,
  withdrawConsent,
} from './routes/onboarding.ts';
import { openApiDocument } from './routes/openapi.ts';
import {
  createPerson,
  getPerson,
  listPeople,
  recordDeparture,
  rehirePerson,
  updatePerson,
} from './routes/people.ts';
import { getCrossSitePermit, requestCrossSitePermit, signCrossSitePermit } from './routes/permits.ts';
import {
  exportPersonalData,
  getRecordRetention,
  putRecordRetention,
  requestDeletion,
} from './routes/privacy.ts';
import { answerQuiz, getQuiz, listPersonQuizzes } from './routes/quizzes.ts';
import { createSpotCheck, getAuditTrail, getHealthReport, getSubcontractorReport } from './routes/reports.ts';
import {
  getAlliance,
  getDispatchPolicy,
  getFatigueThresholds,
  getOnboardingThresholds,
  getRegistrySettings,
  getSettlementRule,
  getThresholds,
  putAlliance,
  putDispatchPolicy,
  putFatigueThresholds,
  putOnboardingThresholds,
  putRegistrySettings,
  putReportRecipients,
  putSettlementRule,
  putThresholds,
} from './routes/settings.ts';
import {
  closeSite,
  createSite,
  getSite,
  getSiteSafety,
  listSites,
  locateSites,
  putSiteSafety,
  reopenSite,
  updateSite,
} from './routes/sites.ts';
import { getMyInbox, getStatusHistory } from './routes/status.ts';
import {
  createSubcontractor,
  getSubcontractor,
  listSubcontractors,
  reinstateSubcontractor,
  terminateSubcontractor,
  updateSubcontractor,
} from './routes/subcontractors.ts';
import {
  activateWorkTicket,
  approveWorkTicket,
  cancelWorkTicket,
  closeWorkTicket,
  createBoardLink,
  createWorkTicket,
  declarePractice,
  getPermitBoard,
  getTicketDocument,
  getTicketQr,
  getWorkTicket,
  listWorkTickets,
  recordGasAnalysis,
  recordPracticalReexam,
  verifyTicket,
} from './routes/tickets.ts';
import {
  getJwks,
  getWorkerCode,
  getWorkerCodeQr,
  revokeWorkerCodes,
  verifyCertificateNow,
  verifyWorkerCode,
} from './routes/verification.ts';
import {
  completeCourse,
  confirmViolation,
  dismissViolation,
  getPointsPolicy,
  getViolation,
  listPersonCourses,
  listPersonViolations,
  putPointsPolicy,
  recordViolation,
  reinstatePerson,
} from './routes/violations.ts';
import {
  acknowledgeInsurerEvent,
  createWebhook,
  deleteWebhook,
  getWebhook,
  listInsuranceCovers,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook,
  redeliverWebhook,
  updateWebhook,
} from './routes/webhooks.ts';

export * from './route.ts';

import {
  acceptInvitation,
  createTenant,
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  getMe,
  getTenant,
  getUser,
  listTenants,
  listUsers,
  reinviteUser,
  resumeTenant,
  suspendTenant,
  updateUser,
} from './routes/users.ts';

export * from './routes/archives.ts';
export * from './routes/badges.ts';
export * from './routes/batches.ts';
export * from './routes/blacklist.ts';
export * from './routes/certificates.ts';
export * from './routes/diagnostics.ts';
export * from './routes/federation.ts';
export * from './routes/health.ts';
export * from './routes/heatmap.ts';
export * from './routes/imports.ts';
export * from './routes/notifications.ts';
export * from './routes/onboarding.ts';
export * from './routes/openapi.ts';
export * from './routes/people.ts';
export * from './routes/permits.ts';
export * from './routes/privacy.ts';
export * from './routes/quizzes.ts';
export * from './routes/reports.ts';
export * from './routes/settings.ts';
export * from './routes/sites.ts';
export * from './routes/status.ts';
export * from './routes/subcontractors.ts';
export * from './routes/tickets.ts';
export * from './routes/users.ts';
export * from './routes/verification.ts';
export * from './routes/violations.ts';
export * from './routes/webhooks.ts';

export const ROUTES: RouteDefinition[] = [
  health,
  openApiDocument,
  createTenant,
  listTenants,
  getTenant,
  suspendTenant,
  resumeTenant,
  createUser,
  listUsers,
  getUser,
  updateUser,
  disableUser,
  enableUser,
  deleteUser,
  reinviteUser,
  acceptInvitation,
  getMe,
  createSite,
  listSites,
  getSite,
  updateSite,
  closeSite,
  reopenSite,
  locateSites,
  createSubcontractor,
  listSubcontractors,
  createWebhook,
  listWebhooks,
  getWebhook,
  updateWebhook,
  deleteWebhook,
  pingWebhook,
  listWebhookDeliveries,
  redeliverWebhook,
  acknowledgeInsurerEvent,
  listInsuranceCovers,
  declareDocument,
  listDocuments,
  getDocument,
  resumeDocumentUpload,
  completeDocumentUpload,
  createArchive,
  getArchive,
  shareArchive,
  revokeArchiveShare,
  inspectArchive,
  inspectArchiveFile,
  exportPersonalData,
  requestDeletion,
  getRecordRetention,
  putRecordRetention,
  recordViolation,
  getViolation,
  confirmViolation,
  dismissViolation,
  listPersonViolations,
  listPersonCourses,
  completeCourse,
  reinstatePerson,
  getPointsPolicy,
  putPointsPolicy,
  getRadar,
  getRadarSvg,
  getRadarPng,
  createImport,
  createImportUpload,
  getImportTemplate,
  getImport,
  getImportRows,
  getSubcontractor,
  updateSubcontractor,
  terminateSubcontractor,
  reinstateSubcontractor,
  createBlacklistEntry,
  listBlacklist,
  getBlacklistEntry,
  appealBlacklistEntry,
  decideBlacklistEntry,
  createPartner,
  listPartners,
  updatePartner,
  evaluateOprf,
  pushFederatedEntries,
  pullFederatedEntries,
  getFederationKeys,
  listConsentTexts,
  giveConsent,
  listConsents,
  withdrawConsent,
  startOnboarding,
  getOnboarding,
  createOnboardingUpload,
  startLiveness,
  getLiveness,
  matchFace,
  readDocument,
  checkIdentity,
  reviewOnboarding,
  createPerson,
  listPeople,
  getPerson,
  updatePerson,
  recordDeparture,
  rehirePerson,
  createCertificate,
  listCertificates,
  getCertificate,
  updateCertificate,
  voidCertificate,
  stampCertificate,
  reviewCertificateForgery,
  getPersonStatus,
  getStatusHistory,
  getMyInbox,
  getChannelSettings,
  putChannelSettings,
  getNotificationRules,
  putNotificationRules,
  getBindings,
  putBindings,
  getPersonNotifications,
  getNotification,
  diagnoseNotifications,
  applyNotificationFix,
  verifyCertificateNow,
  getWorkerCode,
  getWorkerCodeQr,
  revokeWorkerCodes,
  verifyWorkerCode,
  createVerificationBatch,
  getVerificationBatch,
  getBatchReviewList,
  getThresholds,
  putThresholds,
  getFatigueThresholds,
  putFatigueThresholds,
  getDispatchPolicy,
  putDispatchPolicy,
  getOnboardingThresholds,
  putOnboardingThresholds,
  getAlliance,
  putAlliance,
  getSettlementRule,
  putSettlementRule,
  getRegistrySettings,
  putRegistrySettings,
  getHealthReport,
  getSubcontractorReport,
  getAuditTrail,
  createSpotCheck,
  putReportRecipients,
  bindBadge,
  revokeBadge,
  createGate,
  listGates,
  retireGate,
  getAllowlistKeys,
  getHeatmap,
  getHeatmapPerson,
  putSiteSafety,
  getSiteSafety,
  getQuiz,
  listPersonQuizzes,
  answerQuiz,
  createWorkTicket,
  listWorkTickets,
  getWorkTicket,
  approveWorkTicket,
  recordGasAnalysis,
  activateWorkTicket,
  closeWorkTicket,
  cancelWorkTicket,
  declarePractice,
  recordPracticalReexam,
  getTicketDocument,
  getTicketQr,
  verifyTicket,
  getJwks,
  createBoardLink,
  getPermitBoard,
  requestCrossSitePermit,
  getCrossSitePermit,
  signCrossSitePermit,
];
