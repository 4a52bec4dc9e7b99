import "server-only";
import { forbidden, unauthorized, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { auth } from "@/lib/auth";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, fieldErrorsOf, toAppError, type ErrorCode } from "./errors";
import type { Locale } from "./i18n/config";
import { localizeText } from "./i18n/error-text";
import { requestLocale } from "./i18n/server";
import { log } from "@/lib/log";

/**
 * What every server action returns (dashboard and site): expected failures carry a code, a message in
 * the UI's language and, for forms, messages per field; `data` is a small, already-shaped result.
 */
export type ActionResult<T = unknown> = {
  ok: boolean;
  code?: ErrorCode;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  /** Every booking rule a choice breaks, each a readable sentence. */
  violations?: string[];
  data?: T;
};

/** Who may call an action: anyone, a signed-in user, staff (or admin), admins. */
export type ActionAuth = "none" | "user" | "staff" | "admin";

type Caller<A extends ActionAuth> = A extends "none" ? SessionUser | null : SessionUser;

type Options<A extends ActionAuth, R extends ActionResult> = {
  auth: A;
  /**
   * A friendlier answer for some expected failures of this use case (booking's "this time is full");
   * what it returns overrides the default code, message and field errors.
   */
  onError?: (e: AppError, locale: Locale) => NoInfer<Partial<R> | undefined | Promise<Partial<R> | undefined>>;
};

/** A form field, or null when the action was called with something other than a form (any client can). */
export const formValue = (formData: unknown, key: string): FormDataEntryValue | null =>
  formData instanceof FormData ? formData.get(key) : null;

/** zod → VALIDATION_FAILED carrying per-field messages (catalogue keys or texts) for the form. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Messages stay catalogue keys here: the wrapper looks them up in the caller's language.
  const fieldErrors: Record<string, string[]> = {};
  for (const i of parsed.error.issues) (fieldErrors[i.path.join(".") || "_"] ??= []).push(i.message);
  const first = parsed.error.issues[0];
  const field = first?.path.join(".");
  throw new AppError("VALIDATION_FAILED", first?.message ?? "invalidInput", { fieldErrors }, field ? { field } : undefined);
}

/** The default answer to an expected failure; a form input's message names its field (`seats: …`). */
function failure(e: AppError, locale: Locale): ActionResult {
  const message = e.messageIn(locale);
  const field = e.code === "VALIDATION_FAILED" ? e.params?.field : undefined;
  return {
    ok: false,
    code: e.code,
    message: field ? `${field}: ${message}` : message,
    fieldErrors: e.code === "VALIDATION_FAILED" ? fieldErrorsOf(e.details, locale) : undefined,
  };
}

/**
 * The one wrapper of server actions: session → role → the body (which parses its input with
 * `parseInput` and calls one domain function) → result. An anonymous caller of a "user" action gets
 * UNAUTHENTICATED as a result the form shows; staff and admin actions answer a real 401/403, also when
 * invoked directly. Expected failures (AppError, or a database outage as UNAVAILABLE) become
 * `{ ok: false, code, message, fieldErrors? }` in the UI's language; unexpected ones are logged and
 * answered with a generic message. Redirects and Next's other control-flow errors pass through.
 * R is the result type the action declares (its return type), never inferred from the body.
 */
export async function runAction<R extends ActionResult = ActionResult, A extends ActionAuth = ActionAuth>(
  opts: Options<A, R>,
  body: (user: Caller<A>, locale: Locale) => NoInfer<Promise<R>>,
): Promise<R> {
  const locale = await requestLocale();
  // A failure carries none of R's data, which is optional in every result.
  const answer = async (e: AppError): Promise<R> => {
    const custom = opts.onError ? await opts.onError(e, locale) : undefined;
    return { ...failure(e, locale), ...custom } as R;
  };
  let user: SessionUser | null;
  try {
    const session = await auth();
    user = session?.user?.id ? session.user : null;
  } catch (e) {
    const down = toAppError(e, "action");
    if (down) return answer(down);
    throw e;
  }
  if (opts.auth !== "none") {
    if (!user) {
      if (opts.auth !== "user") unauthorized();
      return answer(new AppError("UNAUTHENTICATED", "signIn"));
    }
    const staff = user.role === "staff" || user.role === "admin";
    if ((opts.auth === "staff" && !staff) || (opts.auth === "admin" && user.role !== "admin")) forbidden();
  }
  try {
    return await body(user as Caller<A>, locale);
  } catch (e) {
    unstable_rethrow(e);
    const expected = toAppError(e, "action");
    if (expected) return answer(expected);
    log.error("[action] unexpected error", e);
    return { ok: false, code: "INTERNAL", message: localizeText(locale, "generic") } as R;
  }
}
