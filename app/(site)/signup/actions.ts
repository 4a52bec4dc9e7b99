"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { registerWithVerifiedPhone } from "@/lib/auth/phone-account";
import { registerUser } from "@/lib/auth/register-user";
import type { AppError } from "@/lib/errors";
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
      await registerWithVerifiedPhone({ ...input, phone: input.phone }, { phone: input.phone, code, ip: clientIp(await headers()) });
    } else {
      await registerUser(input);
    }
    await signIn("credentials", { identifier: input.email ?? input.phone, password: input.password, redirectTo: "/me" });
    return { ok: true };
  });
}
