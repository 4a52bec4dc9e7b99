"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { AppError, isDbUnavailable } from "@/lib/errors";
import { credentialsSchema } from "@/lib/validations/auth";

const safeRedirect = (v: FormDataEntryValue | null) => {
  const s = typeof v === "string" ? v : "";
  return s.startsWith("/") && !s.startsWith("//") ? s : "/me";
};

// The form shows field messages beside their inputs, not again on top.
const fieldsOnly = (e: AppError) => (e.code === "VALIDATION_FAILED" ? { message: undefined } : undefined);

export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "none", onError: fieldsOnly }, async () => {
    const input = parseInput(credentialsSchema, { identifier: formData.get("identifier"), password: formData.get("password") });
    try {
      await signIn("credentials", { ...input, redirectTo: safeRedirect(formData.get("callbackUrl")) });
    } catch (e) {
      // A database outage inside authorize() arrives wrapped in an AuthError: not a wrong password.
      if (e instanceof AuthError && !isDbUnavailable(e)) throw new AppError("INVALID_CREDENTIALS", "wrongCredentials");
      throw e;
    }
    return { ok: true };
  });
}
