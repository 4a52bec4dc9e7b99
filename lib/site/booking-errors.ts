import "server-only";
import { getTranslations } from "next-intl/server";
import type { BookingFormState } from "@/components/booking/types";
import { actionError } from "@/lib/actions";
import { isAppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";

/** Domain messages are "中文 / English": keep the half the reader reads. */
export function localized(message: string, locale: Locale): string {
  const [zh, en] = message.split(" / ");
  return (locale === "en" ? en : zh)?.trim() || message;
}

const violationTexts = (details: unknown, fallback: string): string[] => {
  const list = (details as { violations?: unknown } | undefined)?.violations;
  if (!Array.isArray(list)) return [fallback];
  const texts = list.map((v: unknown) => (v as { text?: unknown }).text).filter((t): t is string => typeof t === "string");
  return texts.length > 0 ? texts : [fallback];
};

/** AppError codes of createBooking / rescheduleBooking → what the customer reads next to the form. */
export async function bookingErrorState(e: unknown, locale: Locale): Promise<BookingFormState> {
  const t = await getTranslations("booking.errors");
  if (!isAppError(e)) {
    const generic = await getTranslations("errors");
    const r = actionError(e, generic("generic"));
    // A database outage (UNAVAILABLE) carries a "中文 / English" message like the domain's.
    return r.code === "UNAVAILABLE" && r.message ? { ...r, message: localized(r.message, locale) } : r;
  }
  const fail = (message: string, extra: Partial<NonNullable<BookingFormState>> = {}) => ({ ok: false, code: e.code, message, ...extra });
  switch (e.code) {
    case "SLOT_FULL":
      return fail(t("slotFull"));
    case "SLOT_CLOSED":
      return fail(t("slotClosed"));
    case "RESOURCE_BUSY":
      return fail(t("resourceBusy"));
    case "NOT_FOUND":
      return fail(t("notFound"));
    case "RULE_VIOLATION":
      return fail(t("ruleViolation"), { violations: violationTexts(e.details, localized(e.message, locale)) });
    case "VALIDATION_FAILED": {
      const fieldErrors: Record<string, string[]> = {};
      if (Array.isArray(e.details)) {
        for (const d of e.details as { path?: unknown; message?: unknown }[]) {
          if (typeof d.path === "string" && typeof d.message === "string") (fieldErrors[d.path] ??= []).push(d.message);
        }
      }
      return Object.keys(fieldErrors).length > 0 ? fail(t("invalid"), { fieldErrors }) : fail(localized(e.message, locale));
    }
    default:
      return fail(localized(e.message, locale));
  }
}
