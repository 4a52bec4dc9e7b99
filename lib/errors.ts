/** Expected failures: the REST layer maps codes to HTTP status, actions to `{ ok: false }`. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "EMAIL_TAKEN"
  | "PHONE_TAKEN"
  | "SLOT_FULL"
  | "SLOT_CLOSED"
  | "RESOURCE_BUSY"
  | "RULE_VIOLATION"
  | "INVALID_STATE"
  | "ALREADY_PAID"
  | "PAYMENT_FAILED"
  | "RATE_LIMITED"
  | "INTERNAL";

export const httpStatus: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  PHONE_TAKEN: 409,
  SLOT_FULL: 409,
  SLOT_CLOSED: 409,
  RESOURCE_BUSY: 409,
  RULE_VIOLATION: 422,
  INVALID_STATE: 409,
  ALREADY_PAID: 409,
  PAYMENT_FAILED: 502,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** PostgreSQL error code of a driver error (postgres.js and PGlite both expose `code`), possibly wrapped by drizzle. */
export function pgErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function pgConstraint(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const c = cur as { constraint?: unknown; constraint_name?: unknown };
    const name = c.constraint ?? c.constraint_name;
    if (typeof name === "string") return name;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
