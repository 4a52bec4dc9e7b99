"use server";

import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { PHONE_CODE_PROVIDER } from "@/lib/auth/provider-ids";
import { registerWithCodes } from "@/lib/auth/register-with-codes";
import { isAppError, type AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { startEmailSignUp } from "@/lib/notifications/send-code";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";
import { otpCode } from "@/lib/validations/otp";
import { requiredConsentSchema } from "@/lib/validations/privacy";
import type { SignUpData } from "@/components/auth/sign-up-form";

const codeSchema = z.object({ code: otpCode });
const emailCodeSchema = z.object({ emailCode: otpCode });

/**
 * Sign-up. With an e-mail address it takes two submits: the first mails a code (the same answer for
 * any address: a taken one gets a "someone tried to sign up" mail instead, lib/notifications/send-code),
 * the second brings the code and creates the account. A phone number comes with its SMS code.
 */
export async function signUpAction(_prev: ActionResult<SignUpData> | null, formData: FormData): Promise<ActionResult<SignUpData>> {
  const given = (name: string) => {
    const v = formData.get(name);
    return typeof v === "string" && v.trim() !== "" ? v : undefined;
  };
  // Field messages show beside their inputs, not again on top; a wrong code is the code fields' (which one failed is not told).
  const onError = (e: AppError, locale: Locale): Partial<ActionResult<SignUpData>> | undefined => {
    if (e.code === "VALIDATION_FAILED") return { message: undefined };
    if (e.code !== "INVALID_CREDENTIALS") return undefined;
    const wrong = [e.messageIn(locale)];
    return {
      message: undefined,
      fieldErrors: { ...(given("phone") ? { code: wrong } : {}), ...(given("email") ? { emailCode: wrong } : {}) },
    };
  };
  return runAction({ auth: "none", onError }, async (_user, locale): Promise<ActionResult<SignUpData>> => {
    const input = parseInput(registerSchema, {
      name: formData.get("name"),
      email: formData.get("email"),
      phone: formData.get("phone"),
      password: formData.get("password"),
      locale,
      privacyConsent: formData.get("privacyConsent"),
    });
    parseInput(requiredConsentSchema, { privacyConsent: formData.get("privacyConsent") });
    const ip = clientIp(await headers());
    const emailCode = given("resend") ? undefined : given("emailCode");
    if (input.email !== undefined && emailCode === undefined) {
      await consumeLimits(registrationLimits(ip));
      await startEmailSignUp({ ...input, email: input.email }, ip);
      const t = await getTranslations("otp");
      return { ok: true, data: { emailCodeSent: true }, message: t("emailCodeSent", { email: input.email }) };
    }
    if (input.email === undefined) await consumeLimits(registrationLimits(ip));
    const codes = {
      email: emailCode === undefined ? undefined : parseInput(emailCodeSchema, { emailCode }).emailCode,
      phone: input.phone === undefined ? undefined : parseInput(codeSchema, { code: formData.get("code") ?? "" }).code,
    };
    try {
      await registerWithCodes(input, codes, ip);
    } catch (e) {
      if (!isAppError(e) || e.code !== "PHONE_TAKEN" || input.phone === undefined || codes.phone === undefined) throw e;
      // The code proved the number theirs and is still unused (the failed sign-up rolled its use back):
      // the number's account is signed in with it, so a taken number answers like a new one. Its
      // password stays as it was.
      await signIn(PHONE_CODE_PROVIDER, { phone: input.phone, code: codes.phone, locale, privacyConsent: "on", redirectTo: "/me" });
      return { ok: true };
    }
    await signIn("credentials", { identifier: input.email ?? input.phone, password: input.password, redirectTo: "/me" });
    return { ok: true };
  });
}
