"use server";

import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { toAppError } from "@/lib/errors";
import { toLocale } from "@/lib/i18n/config";
import { localizeText } from "@/lib/i18n/error-text";
import { clientIp } from "@/lib/rate-limit";
import { otpRequestSchema } from "@/lib/validations/otp";
import { requestOtp } from "./send-code";
import { log } from "@/lib/log";

export type SendCodeResult = { ok: boolean; message: string; resendAfterSec?: number };

/** Texts a code to a number (every phone + code form on the site passes this action to its field). */
export async function sendCodeAction(phone: string): Promise<SendCodeResult> {
  const t = await getTranslations("otp");
  const locale = toLocale(await getLocale());
  const parsed = otpRequestSchema.safeParse({ phone, locale });
  if (!parsed.success) return { ok: false, message: localizeText(locale, parsed.error.issues[0]?.message ?? "invalidInput") };
  try {
    const sent = await requestOtp({ ...parsed.data, ip: clientIp(await headers()) });
    return { ok: true, message: t("codeSent"), resendAfterSec: sent.resendAfterSec };
  } catch (e) {
    const expected = toAppError(e, "send code action");
    if (!expected) {
      log.error("[action] send code failed", e);
      return { ok: false, message: (await getTranslations("errors"))("generic") };
    }
    if (expected.code === "RATE_LIMITED") {
      const wait = (expected.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      return { ok: false, message: t("tooMany"), resendAfterSec: wait && wait <= 60 ? wait : undefined };
    }
    return { ok: false, message: expected.messageIn(locale) };
  }
}
