import "server-only";
import { getTranslations } from "next-intl/server";
import type { ActionResult } from "@/lib/actions";
import { fieldErrorsOf, type AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";

const violationTexts = (details: unknown, fallback: string): string[] => {
  const list = (details as { violations?: unknown } | undefined)?.violations;
  if (!Array.isArray(list)) return [fallback];
  const texts = list.map((v: unknown) => (v as { text?: unknown }).text).filter((t): t is string => typeof t === "string");
  return texts.length > 0 ? texts : [fallback];
};

/** `onError` of the booking and reschedule actions: what the customer reads next to the form for createBooking / rescheduleBooking codes. */
export async function bookingFailure(e: AppError, locale: Locale): Promise<Partial<ActionResult> | undefined> {
  const t = await getTranslations({ locale, namespace: "booking.errors" });
  switch (e.code) {
    case "SLOT_FULL":
      return { message: t("slotFull") };
    case "SLOT_CLOSED":
      return { message: t("slotClosed") };
    case "RESOURCE_BUSY":
      return { message: t("resourceBusy") };
    case "NOT_FOUND":
      return { message: t("notFound") };
    case "RULE_VIOLATION":
      return { message: t("ruleViolation"), violations: violationTexts(e.details, e.messageIn(locale)) };
    case "VALIDATION_FAILED":
      return fieldErrorsOf(e.details, locale) ? { message: t("invalid") } : undefined;
    default:
      return undefined;
  }
}
