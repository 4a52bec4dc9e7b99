import { defaultLocale, type Locale } from "./i18n/config";
import { errorText, localizeText, type ErrorParams } from "./i18n/error-text";
import { log } from "@/lib/log";

export type { ErrorParams };

/** Expected failures: the REST layer maps codes to HTTP status, actions to `{ ok: false }`. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
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
  | "UNAVAILABLE"
  | "INTERNAL";

export const httpStatus: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
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
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/**
 * An expected failure: a code, and a message given as a key of the `errors` catalogue with its
 * parameters, looked up in the reader's language where the error is answered (`messageIn`). A text
 * that is no catalogue key (a library's or a developer-facing message) is shown as it is.
 * `message` is the default language's text, for logs.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: string,
    readonly details?: unknown,
    readonly params?: ErrorParams,
  ) {
    super(errorText(defaultLocale, key, params) ?? key);
    this.name = "AppError";
  }

  messageIn(locale: Locale): string {
    return errorText(locale, this.key, this.params) ?? this.message;
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

/** Seconds a client should wait before retrying a request answered UNAVAILABLE (the `Retry-After` header). */
export const UNAVAILABLE_RETRY_AFTER_S = 2;

/** postgres.js's own connection errors, Node socket errors, and PostgreSQL's "server going away or not ready" states. */
const unavailableCodes = new Set([
  // postgres.js
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  // Node sockets and DNS
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up, shutting down, in
  // recovery), too_many_connections, query_canceled (statement_timeout under load).
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "57014",
]);

/**
 * Whether an error means the database cannot be reached or cannot serve right now (lost or refused
 * connection, server restarting, timed out), as opposed to a bug or a rule: such a request is
 * answered 503 UNAVAILABLE with Retry-After, never 500. Follows `cause` (drizzle wraps driver errors).
 * Test doubles aside, PGlite never raises these: it has no connection to lose.
 */
export function isDbUnavailable(e: unknown): boolean {
  return unavailableCause(e) !== undefined;
}

/** The error in the chain that says the database is unavailable (its code and message, without drizzle's query text). */
function unavailableCause(e: unknown): { code: string; message: string } | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && (unavailableCodes.has(code) || code.startsWith("08"))) {
      return { code, message: String((cur as { message?: unknown }).message ?? "") };
    }
    const cause = (cur as { cause?: unknown }).cause;
    // Auth.js wraps what a provider threw as `cause.err`.
    cur = cause instanceof Error ? cause : ((cause as { err?: unknown } | undefined)?.err ?? cause);
  }
  return undefined;
}

export function unavailableError(): AppError {
  return new AppError("UNAVAILABLE", "unavailable");
}

const UNAVAILABLE_LOG_EVERY_MS = 5_000;
const unavailableLog = { at: 0, suppressed: 0 };

/** Logs work failed by a database outage (a request answered 503, a job): one line per 5 s with a count, not one per failure. */
export function logUnavailable(where: string, e: unknown): void {
  const now = Date.now();
  if (now - unavailableLog.at < UNAVAILABLE_LOG_EVERY_MS) {
    unavailableLog.suppressed++;
    return;
  }
  const more = unavailableLog.suppressed > 0 ? ` (+${unavailableLog.suppressed} more since the last report)` : "";
  unavailableLog.at = now;
  unavailableLog.suppressed = 0;
  const cause = unavailableCause(e);
  const reason = cause ? `${cause.code}: ${cause.message}` : e instanceof Error ? e.message : String(e);
  log.warn(`[db] unavailable (${where}): ${reason}${more}`);
}

type Issue = { path?: unknown; message?: unknown };
const issuePath = (path: unknown) => (Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "") || "_";

/**
 * The one details shape of a form: messages per field, in the reader's language. Reads what domains
 * attach to VALIDATION_FAILED: `{ fieldErrors }`, or a list of issues (`{ path, message }`, zod's too).
 */
export function fieldErrorsOf(details: unknown, locale: Locale): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  if (Array.isArray(details)) {
    for (const d of details as Issue[]) {
      if (d && typeof d.message === "string") (out[issuePath(d.path)] ??= []).push(localizeText(locale, d.message));
    }
  } else if (details && typeof details === "object" && "fieldErrors" in details) {
    for (const [k, list] of Object.entries((details as { fieldErrors: Record<string, string[]> }).fieldErrors)) {
      out[k] = list.map((m) => localizeText(locale, m));
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Details as the API answers them, with the messages they hold (issues, field errors) in the reader's language. */
export function localizeDetails(details: unknown, locale: Locale): unknown {
  if (Array.isArray(details)) {
    return details.map((d: unknown) =>
      d && typeof d === "object" && typeof (d as Issue).message === "string"
        ? { ...d, message: localizeText(locale, (d as { message: string }).message) }
        : d,
    );
  }
  if (details && typeof details === "object" && "fieldErrors" in details) {
    return { ...details, fieldErrors: fieldErrorsOf(details, locale) ?? {} };
  }
  return details;
}

/**
 * PostgreSQL's data exceptions that only a value from outside can cause (a NUL character, a string
 * too long for its column, a number or date out of range, text that is no uuid): the request was
 * bad, whatever check it slipped past. Answered 400, never 500.
 */
const badInputCodes = new Set(["22001", "22003", "22007", "22008", "22021", "22P02", "22P05"]);

/**
 * For catch blocks of actions and routes: the expected failure an error stands for (the AppError
 * itself, UNAVAILABLE for a database outage, VALIDATION_FAILED for a value the database refused as
 * malformed; both logged), or undefined for a bug.
 */
export function toAppError(e: unknown, where: string): AppError | undefined {
  if (isAppError(e)) return e;
  if (isDbUnavailable(e)) {
    logUnavailable(where, e);
    return unavailableError();
  }
  const pg = pgErrorCode(e);
  if (pg && badInputCodes.has(pg)) {
    console.warn(`[input] refused by the database (${where}): ${pg}`);
    return new AppError("VALIDATION_FAILED", "invalidInput");
  }
  return undefined;
}
