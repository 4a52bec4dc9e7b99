"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { registerWithVerifiedPhone } from "@/lib/auth/phone-account";
import { PHONE_CODE_PROVIDER } from "@/lib/auth/provider-ids";
import { registerUser } from "@/lib/auth/register-user";
import { isAppError, type AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";
import { otpCode } from "@/lib/validations/otp";
import { requiredConsentSchema } from "@/lib/validations/privacy";

const codeSchema = z.object({ code: otpCode });

// Field messages show beside their inputs, not again on top; a wrong SMS code is the code field's.
const onError = (e: AppError, locale: Locale): Partial<ActionResult> | undefined => {
  if (e.code === "VALIDATION_FAILED") return { message: undefined };
  if (e.code === "INVALID_CREDENTIALS") return { message: undefined, fieldErrors: { code: [e.messageIn(locale)] } };
  return undefined;
};

export async function signUpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "none", onError }, async (_user, locale) => {
    const input = parseInput(registerSchema, {
      name: formData.get("name"),
      email: formData.get("email"),
      phone: formData.get("phone"),
      password: formData.get("password"),
      locale,
      privacyConsent: formData.get("privacyConsent"),
    });
    parseInput(requiredConsentSchema, { privacyConsent: formData.get("privacyConsent") });
    await consumeLimits(registrationLimits(clientIp(await headers())));
    if (input.phone !== undefined) {
      // A phone number is proved with an SMS code before it is stored.
      const { code } = parseInput(codeSchema, { code: formData.get("code") ?? "" });
      try {
        await registerWithVerifiedPhone({ ...input, phone: input.phone }, { phone: input.phone, code, ip: clientIp(await headers()) });
      } catch (e) {
        if (!isAppError(e) || e.code !== "PHONE_TAKEN") throw e;
        // The code proved the number theirs and is still unused (the failed sign-up rolled its use back):
        // the number's account is signed in with it, so a taken number answers like a new one. Its
        // password stays as it was.
        await signIn(PHONE_CODE_PROVIDER, { phone: input.phone, code, locale, redirectTo: "/me" });
        return { ok: true };
      }
    } else {
      await registerUser(input);
    }
    await signIn("credentials", { identifier: input.email ?? input.phone, password: input.password, redirectTo: "/me" });
    return { ok: true };
  });
}
