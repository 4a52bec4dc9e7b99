import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { ZodError } from "zod";
import { isAppError } from "./errors";

export type ActionResult = { ok: boolean; message?: string; fieldErrors?: Record<string, string[]> };

export function fieldErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Expected failures become `{ ok: false }`; redirects pass through; anything else is logged and generic. */
export function actionError(e: unknown, generic: string): ActionResult {
  unstable_rethrow(e);
  if (isAppError(e)) return { ok: false, message: e.message };
  console.error("[action] unexpected error", e);
  return { ok: false, message: generic };
}
