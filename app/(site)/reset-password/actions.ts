"use server";

import { headers } from "next/headers";
import { signIn } from "@/lib/auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { resetPasswordWithCode } from "@/lib/auth/phone-account";
import type { AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { clientIp } from "@/lib/rate-limit";
import { password } from "@/lib/validations/auth";
import { otpVerifySchema } from "@/lib/validations/otp";

const resetSchema = otpVerifySchema.extend({ password });

// Field messages show beside their inputs: a wrong code beside the code, an unknown number beside the phone.
const onError = (e: AppError, locale: Locale): Partial<ActionResult> | undefined => {
  if (e.code === "VALIDATION_FAILED") return { message: undefined };
  if (e.code === "INVALID_CREDENTIALS") return { message: undefined, fieldErrors: { code: [e.messageIn(locale)] } };
  if (e.code === "NOT_FOUND") return { message: undefined, fieldErrors: { phone: [e.messageIn(locale)] } };
  return undefined;
};

/** Phone + SMS code + new password: the password is replaced and the customer signed in. */
export async function resetPasswordAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "none", onError }, async () => {
    const input = parseInput(resetSchema, { phone: formData.get("phone"), code: formData.get("code"), password: formData.get("password") });
    await resetPasswordWithCode({ phone: input.phone, code: input.code, ip: clientIp(await headers()) }, input.password);
    await signIn("credentials", { identifier: input.phone, password: input.password, redirectTo: "/me" });
    return { ok: true };
  });
}
