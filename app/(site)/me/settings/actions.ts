"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { actionError, fieldErrors, type ActionResult } from "@/lib/actions";
import { changePhoneWithCode } from "@/lib/auth/phone-account";
import { clientIp } from "@/lib/rate-limit";
import { otpVerifySchema } from "@/lib/validations/otp";
import { auth } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { localeCookie, toLocale } from "@/lib/i18n/config";
import { updatePreferences, type PreferenceValues } from "@/lib/notifications/preferences";

type Issue = { path: string; message: string };
/** On a validation failure the submitted values come back, so the form does not lose them. */
export type PreferencesResult = ActionResult & { values?: PreferenceValues };

/** Checkboxes are present ("on") when ticked and absent otherwise; validation lives in lib. */
export async function savePreferencesAction(_prev: PreferencesResult | null, formData: FormData): Promise<PreferencesResult> {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin?callbackUrl=%2Fme%2Fsettings");
  const input = {
    email: formData.get("email") === "on",
    sms: formData.get("sms") === "on",
    inApp: formData.get("inApp") === "on",
    locale: formData.get("locale"),
  };
  try {
    const saved = await updatePreferences(getDb(), session.user.id, input);
    (await cookies()).set(localeCookie, saved.locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
    revalidatePath("/", "layout");
    const t = await getTranslations({ locale: saved.locale, namespace: "inbox.settings" });
    return { ok: true, message: t("saved") };
  } catch (e) {
    if (isAppError(e) && e.code === "VALIDATION_FAILED") {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of (e.details ?? []) as Issue[]) (fieldErrors[issue.path || "_"] ??= []).push(issue.message);
      const values = { prefs: { email: input.email, sms: input.sms, inApp: input.inApp }, locale: toLocale(String(input.locale ?? "")) };
      return { ok: false, message: e.message, fieldErrors, values };
    }
    const t = await getTranslations("inbox.settings");
    return actionError(e, t("generic"));
  }
}

/** A new phone number, proved by a code texted to it. */
export async function changePhoneAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin?callbackUrl=%2Fme%2Fsettings");
  const t = await getTranslations();
  const parsed = otpVerifySchema.safeParse({ phone: formData.get("phone"), code: formData.get("code") });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  try {
    const user = await changePhoneWithCode(session.user.id, { ...parsed.data, ip: clientIp(await headers()) });
    revalidatePath("/me", "layout");
    return { ok: true, message: t("otp.phoneChanged", { phone: user.phone ?? "" }) };
  } catch (e) {
    const result = actionError(e, t("errors.generic"));
    if (result.code === "INVALID_CREDENTIALS") return { ok: false, fieldErrors: { code: [t("otp.wrongCode")] } };
    if (result.code === "RATE_LIMITED") return { ok: false, message: t("otp.tooMany") };
    return result;
  }
}
