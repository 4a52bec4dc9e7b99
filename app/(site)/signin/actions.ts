"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { getTranslations } from "next-intl/server";
import { signIn } from "@/lib/auth";
import { actionError, fieldErrors, type ActionResult } from "@/lib/actions";
import { isDbUnavailable } from "@/lib/errors";
import { PHONE_CODE_PROVIDER } from "@/lib/auth/phone-code-provider";
import { credentialsSchema } from "@/lib/validations/auth";
import { otpVerifySchema } from "@/lib/validations/otp";

const safeRedirect = (v: FormDataEntryValue | null) => {
  const s = typeof v === "string" ? v : "";
  return s.startsWith("/") && !s.startsWith("//") ? s : "/me";
};

export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const t = await getTranslations();
  const parsed = credentialsSchema.safeParse({
    identifier: formData.get("identifier"),
    password: formData.get("password"),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirect(formData.get("callbackUrl")) });
    return { ok: true };
  } catch (e) {
    // A database outage inside authorize() arrives wrapped in an AuthError: not a wrong password.
    if (e instanceof AuthError && !isDbUnavailable(e)) return { ok: false, message: t("auth.wrongCredentials") };
    return actionError(e, t("errors.generic"));
  }
}

/** Phone + SMS code: signed in (a new number gets a customer account) and sent back where they came from. */
export async function signInWithCodeAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const t = await getTranslations();
  const parsed = otpVerifySchema.safeParse({ phone: formData.get("phone"), code: formData.get("code") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  try {
    await signIn(PHONE_CODE_PROVIDER, { ...parsed.data, redirectTo: safeRedirect(formData.get("callbackUrl")) });
    return { ok: true };
  } catch (e) {
    if (e instanceof CredentialsSignin && e.code === "rate_limited") return { ok: false, message: t("otp.tooMany") };
    if (e instanceof AuthError && !isDbUnavailable(e)) return { ok: false, message: t("otp.wrongCode") };
    return actionError(e, t("errors.generic"));
  }
}
