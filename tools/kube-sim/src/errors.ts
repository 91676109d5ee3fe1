/**
 * `Status` bodies shaped exactly like k8s.io/apimachinery/pkg/api/errors builds them: kind Status,
 * apiVersion v1, an empty metadata, status Failure, message, reason, details, code. Details carry
 * the *resource* (plural) in `kind` for NotFound/AlreadyExists/Conflict and the *Kind* for Invalid,
 * as the real constructors do.
 */

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

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export interface GroupResource {
  group: string;
  resource: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: compactDetails(this.details) } : {}),
      code: this.code,
    };
  }
}

function compactDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** `deployments.apps` / `pods`, as schema.GroupResource.String() prints it. */
export function groupResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${groupResourceString(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${groupResourceString(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, reason: string = OPTIMISTIC_LOCK_MESSAGE): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${reason}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong';

/** One field.Error; `body()` is field.Error.ErrorBody(). */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  /** Rendering of the value when it is not JSON-like (Go's %#v output such as `0x0`). */
  valueText?: string;
  detail?: string;
  /** For NotSupported: the accepted values. */
  supported?: string[];
}

/** Go's %v-ish rendering of a bad value inside "Invalid value: ..." messages. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

export function fieldErrorBody(e: FieldError): string {
  if (e.valueText !== undefined && e.type === 'FieldValueInvalid') return `Invalid value: ${e.valueText}${e.detail ? `: ${e.detail}` : ''}`;
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueDuplicate':
      return `Duplicate value: ${formatValue(e.value)}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? ''}`;
    case 'FieldValueNotSupported': {
      const supported = (e.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${formatValue(e.value)}${supported ? `: supported values: ${supported}` : ''}`;
    }
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${formatValue(e.value)}: ${e.detail ?? ''}`;
    case 'FieldValueInvalid':
    default:
      return `Invalid value: ${formatValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** errors.NewInvalid: 422, message `Kind.group "name" is invalid: <aggregate>`. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): ApiError {
  const gk = group ? `${kind}.${group}` : kind;
  const rendered = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const aggregate = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${gk} "${name}" is invalid: ${aggregate}`, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message, undefined);
}

export function forbidden(gr: GroupResource, name: string, message: string, causes?: StatusCause[]): ApiError {
  return new ApiError(403, 'Forbidden', `${groupResourceString(gr)} "${name}" is forbidden: ${message}`, {
    name,
    group: gr.group,
    kind: gr.resource,
    ...(causes ? { causes } : {}),
  });
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    {},
  );
}

export function notAcceptable(): ApiError {
  return new ApiError(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/json;stream=watch',
    {},
  );
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    'TooManyRequests',
    'Too many requests, please try again later.',
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized', undefined);
}

/** errors.NewResourceExpired: 410 Expired, no details. */
export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message, undefined);
}

export function requestEntityTooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`, undefined);
}

/** errors.NewGenericServerResponse(422, ...) as returned when a JSON patch cannot be applied. */
export function unprocessablePatch(): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}
