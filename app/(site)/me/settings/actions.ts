"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { formValue, parseInput, runAction, type ActionResult } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { changePhoneWithCode } from "@/lib/auth/phone-account";
import { WECHAT_PROVIDER, wechatTicket } from "@/lib/auth/wechat-sign-in";
import { AppError } from "@/lib/errors";
import { localeCookie, toLocale, type Locale } from "@/lib/i18n/config";
import { updatePreferences, type PreferenceValues } from "@/lib/notifications/preferences";
import { clientIp } from "@/lib/rate-limit";
import { otpVerifySchema } from "@/lib/validations/otp";
import { deleteAccountSchema } from "@/lib/validations/privacy";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { signOut } from "@/lib/auth";
import { deleteMyAccount } from "@/lib/auth/delete-account";
import { sendCodeAction } from "@/lib/notifications/code-actions";

/** On a validation failure the submitted values come back, so the form does not lose them. */
export type PreferencesResult = ActionResult & { values?: PreferenceValues };

/** Checkboxes are present ("on") when ticked and absent otherwise; validation lives in lib. */
export async function savePreferencesAction(_prev: PreferencesResult | null, formData: FormData): Promise<PreferencesResult> {
  const input = {
    email: formValue(formData, "email") === "on",
    sms: formValue(formData, "sms") === "on",
    inApp: formValue(formData, "inApp") === "on",
    locale: formValue(formData, "locale"),
  };
  const keepValues = (e: AppError): Partial<PreferencesResult> | undefined =>
    e.code === "VALIDATION_FAILED"
      ? { values: { prefs: { email: input.email, sms: input.sms, inApp: input.inApp }, locale: toLocale(String(input.locale ?? "")) } }
      : undefined;
  return runAction({ auth: "none", onError: keepValues }, async (user) => {
    if (!user) redirect("/signin?callbackUrl=%2Fme%2Fsettings");
    const saved = await updatePreferences(getDb(), user.id, input);
    (await cookies()).set(localeCookie, saved.locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
    revalidatePath("/", "layout");
    const t = await getTranslations({ locale: saved.locale, namespace: "inbox.settings" });
    return { ok: true, message: t("saved") };
  });
}

/** A wrong code is shown beside the code input; field messages are not repeated on top. */
const codeField = (e: AppError, locale: Locale): Partial<ActionResult> | undefined => {
  if (e.code === "VALIDATION_FAILED") return { message: undefined };
  if (e.code === "INVALID_CREDENTIALS") return { message: undefined, fieldErrors: { code: [e.messageIn(locale)] } };
  return undefined;
};

/** A new phone number, proved by a code texted to it. */
export async function changePhoneAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "none", onError: codeField }, async (user, locale) => {
    if (!user) redirect("/signin?callbackUrl=%2Fme%2Fsettings");
    const input = parseInput(otpVerifySchema, { phone: formData.get("phone"), code: formData.get("code") });
    const changed = await changePhoneWithCode(user.id, { ...input, ip: clientIp(await headers()) });
    revalidatePath("/me", "layout");
    // Merged into the number's account (a WeChat-only customer): this browser continues as that account.
    if (changed.id !== user.id) await signIn(WECHAT_PROVIDER, { ticket: wechatTicket(changed.id), redirectTo: "/me/settings" });
    const t = await getTranslations({ locale, namespace: "otp" });
    return { ok: true, message: t("phoneChanged", { phone: changed.phone ?? "" }) };
  });
}

/** Texts a code to the signed-in account's own number (to confirm deleting the account). */
export async function sendOwnCodeAction(): Promise<ActionResult> {
  return runAction({ auth: "user" }, async (user) => {
    const [row] = await getDb().select({ phone: users.phone }).from(users).where(eq(users.id, user.id)).limit(1);
    if (!row?.phone) throw new AppError("VALIDATION_FAILED", "deleteNeedsPassword");
    const sent = await sendCodeAction(row.phone);
    return { ok: sent.ok, message: sent.message };
  });
}

/** Deletes the account (lib/auth/delete-account.ts), then signs out to the home page. */
export async function deleteAccountAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await runAction({ auth: "user", onError: codeField }, async (user) => {
    const input = parseInput(deleteAccountSchema, { password: formData.get("password"), code: formData.get("code") });
    await deleteMyAccount(
      user.id,
      input.password !== undefined ? { password: input.password } : { code: input.code!, ip: clientIp(await headers()) },
    );
    return { ok: true };
  });
  if (result.ok) await signOut({ redirectTo: "/?deleted=1" });
  return result;
}
