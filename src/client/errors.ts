// Errors from the API server arrive as metav1.Status bodies; ApiError carries that Status so callers
// branch on reason and code exactly as client-go's apierrors.IsNotFound and friends do.
import type { Status, StatusReason } from '../machinery/status.js';

export class ApiError extends Error {
  readonly status: Status;
  readonly code: number;
  readonly reason: string;

  constructor(status: Status) {
    super(status.message || `the server responded with HTTP ${status.code}${status.reason ? ` (${status.reason})` : ''}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = status.code;
    this.reason = status.reason || '';
  }

  /** Seconds the server asked us to wait before retrying, when it said so. */
  get retryAfterSeconds(): number | undefined {
    return this.status.details?.retryAfterSeconds;
  }
}

// When the body is not a Status (a proxy, a plain-text 404), the reason follows from the code, as
// client-go's NewGenericServerResponse derives it.
const reasonByCode: Record<number, { reason: StatusReason; message: string }> = {
  400: { reason: 'BadRequest', message: 'the server rejected our request for an unknown reason' },
  401: { reason: 'Unauthorized', message: 'the server has asked for the client to provide credentials' },
  403: { reason: 'Forbidden', message: 'the server does not allow access to the requested resource' },
  404: { reason: 'NotFound', message: 'the server could not find the requested resource' },
  405: { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' },
  406: { reason: 'NotAcceptable', message: 'the server was unable to respond with a content type that the client supports' },
  409: { reason: 'Conflict', message: 'the server reported a conflict' },
  410: { reason: 'Gone', message: 'the server has asked for the client to retry with a newer resource version' },
  413: { reason: 'RequestEntityTooLarge', message: 'the server has rejected the request because it is too large' },
  415: { reason: 'UnsupportedMediaType', message: 'the server was unable to handle the media type requested' },
  422: { reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
  429: { reason: 'TooManyRequests', message: 'the server has received too many requests and has asked us to try again later' },
  500: { reason: 'InternalError', message: 'an error on the server has prevented the request from succeeding' },
  503: { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' },
  504: { reason: 'Timeout', message: 'the server was unable to return a response in the time allotted, but may still be processing the request' },
};

export function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status' && typeof (v as { code?: unknown }).code === 'number';
}

/** The ApiError for an HTTP answer: the Status in the body when there is one, else one made from the code. */
export function apiErrorFromResponse(code: number, body: string, retryAfter?: string): ApiError {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return new ApiError({ ...parsed, code: parsed.code || code });
  const known = reasonByCode[code] ?? { reason: (code >= 500 ? 'InternalError' : 'BadRequest') as StatusReason, message: `an error on the server ("${body.trim().slice(0, 200)}") has prevented the request from succeeding` };
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: known.message, reason: known.reason, code };
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds)) status.details = { retryAfterSeconds: seconds };
  return new ApiError(status);
}

const is = (reason: string, code: number) => (e: unknown): boolean =>
  e instanceof ApiError && (e.reason === reason || (e.reason === '' && e.code === code));

export const isNotFound = is('NotFound', 404);
export const isAlreadyExists = is('AlreadyExists', 409);
export const isInvalid = is('Invalid', 422);
export const isForbidden = is('Forbidden', 403);
export const isUnauthorized = is('Unauthorized', 401);
export const isTooManyRequests = is('TooManyRequests', 429);
export const isTimeout = is('Timeout', 504);
export const isServerTimeout = is('ServerTimeout', 500);

/** A write lost an optimistic-concurrency race (resourceVersion or precondition mismatch). */
export const isConflict = is('Conflict', 409);

/** The requested resourceVersion is too old: Gone (410) or Expired, as watch and list report it. */
export function isGone(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 410 || e.reason === 'Gone' || e.reason === 'Expired');
}
