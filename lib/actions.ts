import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { ZodError } from "zod";
import { toAppError, type ErrorCode } from "./errors";

export type ActionResult = { ok: boolean; code?: ErrorCode; message?: string; fieldErrors?: Record<string, string[]> };

export function fieldErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Expected failures become `{ ok: false }` (a database outage: code UNAVAILABLE, "try again shortly");
 * redirects pass through; anything else is logged and generic.
 */
export function actionError(e: unknown, generic: string): ActionResult {
  unstable_rethrow(e);
  const expected = toAppError(e, "action");
  if (expected) return { ok: false, code: expected.code, message: expected.message };
  console.error("[action] unexpected error", e);
  return { ok: false, message: generic };
}
