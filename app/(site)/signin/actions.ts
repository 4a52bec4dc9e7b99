"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { PHONE_CODE_PROVIDER } from "@/lib/auth/phone-code-provider";
import { AppError, isDbUnavailable } from "@/lib/errors";
import { credentialsSchema } from "@/lib/validations/auth";
import { otpVerifySchema } from "@/lib/validations/otp";
import { requiredConsentSchema } from "@/lib/validations/privacy";

const safeRedirect = (v: FormDataEntryValue | null) => {
  const s = typeof v === "string" ? v : "";
  // Nowhere to return to: /landing sends staff to /dashboard and customers to /me.
  return s.startsWith("/") && !s.startsWith("//") ? s : "/landing";
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

/**
 * Phone + SMS code: signed in (a new number gets a customer account) and sent back where they came
 * from. The privacy policy is accepted on this form by everyone, before the code is looked at, so
 * the answer is the same for a new and a known number; the consent is recorded at the account's
 * creation, or now when the account has none on record.
 */
export async function signInWithCodeAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "none", onError: fieldsOnly }, async () => {
    const input = parseInput(otpVerifySchema, { phone: formData.get("phone"), code: formData.get("code") });
    parseInput(requiredConsentSchema, { privacyConsent: formData.get("privacyConsent") });
    try {
      await signIn(PHONE_CODE_PROVIDER, { ...input, privacyConsent: "on", redirectTo: safeRedirect(formData.get("callbackUrl")) });
    } catch (e) {
      if (e instanceof CredentialsSignin && e.code === "rate_limited") throw new AppError("RATE_LIMITED", "otpTooMany");
      if (e instanceof AuthError && !isDbUnavailable(e)) throw new AppError("INVALID_CREDENTIALS", "otpWrongCode");
      throw e;
    }
    return { ok: true };
  });
}
