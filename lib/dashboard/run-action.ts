import "server-only";
import { forbidden, unauthorized, unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { fieldErrors } from "@/lib/actions";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, isAppError, toAppError, type ErrorCode } from "@/lib/errors";
import { requireAdminAction, requireStaffAction } from "./auth";

/** What every dashboard action returns; `data` carries a small, already-shaped result for the client. */
export type DashResult<T = unknown> = { ok: boolean; code?: ErrorCode; message?: string; fieldErrors?: Record<string, string[]>; data?: T };

/** zod → VALIDATION_FAILED carrying per-field messages for the form. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error);
  const first = parsed.error.issues[0];
  const message = first ? `${first.path.join(".") ? `${first.path.join(".")}: ` : ""}${first.message}` : "Invalid input";
  throw new AppError("VALIDATION_FAILED", message, { fieldErrors: errors });
}

const detailsFieldErrors = (details: unknown) =>
  typeof details === "object" && details !== null && "fieldErrors" in details
    ? (details as { fieldErrors: Record<string, string[]> }).fieldErrors
    : undefined;

/**
 * The one wrapper of dashboard server actions: session → role (a customer or anonymous caller gets a
 * real 403/401 response, also when the action is invoked directly) → the action body, whose expected
 * failures (AppError, or a database outage as UNAVAILABLE) become `{ ok: false, code, message }` and
 * unexpected ones a logged generic message.
 */
export async function runStaffAction<T>(
  body: (user: SessionUser) => Promise<DashResult<T>>,
  opts: { admin?: boolean } = {},
): Promise<DashResult<T>> {
  let user: SessionUser;
  try {
    user = opts.admin ? await requireAdminAction() : await requireStaffAction();
  } catch (e) {
    if (isAppError(e) && e.code === "UNAUTHENTICATED") unauthorized();
    if (isAppError(e) && e.code === "FORBIDDEN") forbidden();
    const down = toAppError(e, "dashboard action");
    if (down) return { ok: false, code: down.code, message: down.message };
    throw e;
  }
  try {
    return await body(user);
  } catch (e) {
    unstable_rethrow(e);
    // A database outage is expected too: UNAVAILABLE, "try again shortly", never a 500.
    const expected = toAppError(e, "dashboard action");
    if (expected) return { ok: false, code: expected.code, message: expected.message, fieldErrors: detailsFieldErrors(expected.details) };
    console.error("[dashboard action] unexpected error", e);
    const t = await getTranslations("errors");
    return { ok: false, code: "INTERNAL", message: t("generic") };
  }
}
