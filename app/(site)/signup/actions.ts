"use server";

import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { signIn } from "@/lib/auth";
import { registerUser } from "@/lib/auth/register-user";
import { actionError, fieldErrors, type ActionResult } from "@/lib/actions";
import { toLocale } from "@/lib/i18n/config";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";

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
  try {
    await consumeLimits(registrationLimits(clientIp(await headers())));
    await registerUser(parsed.data);
    await signIn("credentials", {
      identifier: parsed.data.email ?? parsed.data.phone,
      password: parsed.data.password,
      redirectTo: "/me",
    });
    return { ok: true };
  } catch (e) {
    return actionError(e, t("errors.generic"));
  }
}
