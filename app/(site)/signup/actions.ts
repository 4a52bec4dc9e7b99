"use server";

import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { signIn } from "@/lib/auth";
import { registerWithVerifiedPhone } from "@/lib/auth/phone-account";
import { registerUser } from "@/lib/auth/register-user";
import { actionError, fieldErrors, type ActionResult } from "@/lib/actions";
import { toLocale } from "@/lib/i18n/config";
import { clientIp } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";
import { otpCode } from "@/lib/validations/otp";

export async function signUpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const t = await getTranslations();
  const parsed = registerSchema.safeParse({
    name: formData.get("name"),
    email: formData.get("email"),
    phone: formData.get("phone"),
    password: formData.get("password"),
    locale: toLocale(await getLocale()),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  const input = parsed.data;
  // A phone number is proved with an SMS code before it is stored.
  const code = input.phone === undefined ? undefined : otpCode.safeParse(formData.get("code") ?? "");
  if (code && !code.success) return { ok: false, fieldErrors: { code: code.error.issues.map((i) => i.message) } };
  try {
    if (input.phone !== undefined && code?.success) {
      const ip = clientIp(await headers());
      await registerWithVerifiedPhone({ ...input, phone: input.phone }, { phone: input.phone, code: code.data, ip });
    } else {
      await registerUser(input);
    }
    await signIn("credentials", {
      identifier: input.email ?? input.phone,
      password: input.password,
      redirectTo: "/me",
    });
    return { ok: true };
  } catch (e) {
    const result = actionError(e, t("errors.generic"));
    if (result.code === "INVALID_CREDENTIALS") return { ok: false, fieldErrors: { code: [t("otp.wrongCode")] } };
    if (result.code === "RATE_LIMITED") return { ok: false, message: t("otp.tooMany") };
    return result;
  }
}
