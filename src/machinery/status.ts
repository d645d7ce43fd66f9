// metav1.Status errors: every error that reaches a client is one of these, with Kubernetes'
// reason and HTTP code, so kubectl and client libraries react to it as they would to a real cluster.

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone'
  | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests' | 'MethodNotAllowed' | 'NotAcceptable'
  | 'RequestEntityTooLarge' | 'UnsupportedMediaType' | 'InternalError' | 'Expired' | 'ServiceUnavailable';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** Identifies a resource in messages as Kubernetes does: `pods`, `deployments.apps`. */
export interface Resource {
  group: string;
  plural: string;
}

const qualified = (r: Resource) => (r.group ? `${r.plural}.${r.group}` : r.plural);

export const errors = {
  badRequest: (message: string) => new StatusError(400, 'BadRequest', message),
  unauthorized: (message = 'Unauthorized') => new StatusError(401, 'Unauthorized', message),
  forbidden: (message: string) => new StatusError(403, 'Forbidden', message),
  notFound: (r: Resource, name: string) =>
    new StatusError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural }),
  notFoundPath: (message = 'the server could not find the requested resource') => new StatusError(404, 'NotFound', message, {}),
  alreadyExists: (r: Resource, name: string) =>
    new StatusError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group || undefined, kind: r.plural }),
  conflict: (r: Resource, name: string, why: string) =>
    new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, { name, group: r.group || undefined, kind: r.plural }),
  /** 409 from server-side apply: the causes name the conflicting managers and fields. */
  applyConflict: (message: string, causes: StatusCause[]) => new StatusError(409, 'Conflict', message, { causes }),
  gone: (message: string) => new StatusError(410, 'Expired', message),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) => {
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
    const shown = causes.length > 1 ? `[${list}]` : list;
    return new StatusError(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${shown}`, {
      name, group: group || undefined, kind, causes,
    });
  },
  methodNotAllowed: (verb: string, what: string) => new StatusError(405, 'MethodNotAllowed', `${what} does not support ${verb}`),
  notAcceptable: (message: string) => new StatusError(406, 'NotAcceptable', message),
  unsupportedMediaType: (type: string) => new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml; got ${type}`),
  tooLarge: (message = 'the request is too large') => new StatusError(413, 'RequestEntityTooLarge', message),
  tooManyRequests: (message: string, retryAfterSeconds = 1) =>
    new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds }),
  timeout: (message: string) => new StatusError(504, 'Timeout', message),
  internal: (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => new StatusError(503, 'ServiceUnavailable', message),
};

/** A field error, as Kubernetes' field.Error renders it. */
export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong */
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid';
  field: string;
  message: string;
}

/** Causes for a 422, worded as Kubernetes words them (`Required value`, `Invalid value: "x": ...`). */
export function fieldErrorsToCauses(errs: FieldError[]): StatusCause[] {
  return errs.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
}

export const field = {
  required: (f: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: f, message: detail ? `Required value: ${detail}` : 'Required value' }),
  invalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: f, message: `Invalid value: ${fmt(value)}: ${detail}` }),
  notSupported: (f: string, value: unknown, valid: string[]): FieldError => ({
    type: 'FieldValueNotSupported', field: f, message: `Unsupported value: ${fmt(value)}: supported values: ${valid.map((v) => `"${v}"`).join(', ')}`,
  }),
  duplicate: (f: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: f, message: `Duplicate value: ${fmt(value)}` }),
  forbidden: (f: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: f, message: `Forbidden: ${detail}` }),
  tooLong: (f: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field: f, message: `Too long: may not be more than ${max} bytes` }),
  typeInvalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field: f, message: `Invalid value: ${fmt(value)}: ${detail}` }),
};

function fmt(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return `"${JSON.stringify(v)}"`.length > 80 ? '"<value>"' : JSON.stringify(v);
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
