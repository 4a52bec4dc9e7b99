"use server";

import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { signIn } from "@/lib/auth";
import { resetPasswordWithCode } from "@/lib/auth/phone-account";
import { actionError, fieldErrors, type ActionResult } from "@/lib/actions";
import { clientIp } from "@/lib/rate-limit";
import { password } from "@/lib/validations/auth";
import { otpVerifySchema } from "@/lib/validations/otp";

const resetSchema = otpVerifySchema.extend({ password });

/** Phone + SMS code + new password: the password is replaced and the customer signed in. */
export async function resetPasswordAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const t = await getTranslations();
  const parsed = resetSchema.safeParse({ phone: formData.get("phone"), code: formData.get("code"), password: formData.get("password") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  try {
    await resetPasswordWithCode({ phone: parsed.data.phone, code: parsed.data.code, ip: clientIp(await headers()) }, parsed.data.password);
    await signIn("credentials", { identifier: parsed.data.phone, password: parsed.data.password, redirectTo: "/me" });
    return { ok: true };
  } catch (e) {
    const result = actionError(e, t("errors.generic"));
    if (result.code === "INVALID_CREDENTIALS") return { ok: false, fieldErrors: { code: [t("otp.wrongCode")] } };
    if (result.code === "RATE_LIMITED") return { ok: false, message: t("otp.tooMany") };
    if (result.code === "NOT_FOUND") return { ok: false, fieldErrors: { phone: [t("otp.noAccountForPhone")] } };
    return result;
  }
}
