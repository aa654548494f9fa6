// A worker's rotating verification code (SPEC O2), as pure rules: the claims of a compact
// JWS valid for one 2-hour window, and what a verifier concludes after the signature. The
// payload is not a URL: a scanned code never sends anyone to a web page (anti-phishing).
export const WORKER_CODE_TYP = 'worker-code+jws';
export const CODE_ISSUER = 'special-ops';
/** Windows are aligned to 00:00, 02:00, … UTC (= 08:00, 10:00 … in Shanghai). */
export const WINDOW_SECONDS = 2 * 3600;

export interface WorkerCodeClaims {
  iss: typeof CODE_ISSUER;
  ten: string;
  sub: string;
  /** The person's code epoch: raised when hr revokes their codes (a lost phone). */
  ep: number;
  iat: number;
  nbf: number;
  exp: number;
}

export function codeWindow(now: Date): { from: Date; to: Date } {
  const start = Math.floor(now.getTime() / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  return { from: new Date(start * 1000), to: new Date((start + WINDOW_SECONDS) * 1000) };
}

export function workerCodeClaims(
  tenantId: string,
  personId: string,
  epoch: number,
  now: Date,
): WorkerCodeClaims {
  const { from, to } = codeWindow(now);
  return {
    iss: CODE_ISSUER,
    ten: tenantId,
    sub: personId,
    ep: epoch,
    iat: Math.floor(now.getTime() / 1000),
    nbf: from.getTime() / 1000,
    exp: to.getTime() / 1000,
  };
}

export type CodeProblem = 'wrong_kind' | 'expired' | 'not_yet_valid' | 'revoked';

/** After a good signature: the right kind of document, inside its window, not revoked. */
export function workerCodeProblem(
  header: { typ?: string },
  claims: Partial<WorkerCodeClaims>,
  now: Date,
  currentEpoch: number | undefined,
): CodeProblem | undefined {
  if (header.typ !== WORKER_CODE_TYP || claims.iss !== CODE_ISSUER) return 'wrong_kind';
  if (typeof claims.ten !== 'string' || typeof claims.sub !== 'string' || typeof claims.ep !== 'number')
    return 'wrong_kind';
  const t = now.getTime() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= t) return 'expired';
  if (typeof claims.nbf !== 'number' || claims.nbf > t) return 'not_yet_valid';
  if (currentEpoch !== undefined && claims.ep < currentEpoch) return 'revoked';
  return undefined;
}

/** Whether the registry's last answer is too old to show as it is (tenant setting, hours). */
export const registryAnswerStale = (answeredAt: string | undefined, now: Date, maxAgeHours: number) =>
  !answeredAt || now.getTime() - Date.parse(answeredAt) > maxAgeHours * 3_600_000;
