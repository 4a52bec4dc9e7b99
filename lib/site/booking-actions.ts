"use server";

import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { FIELD_PREFIX, type BookingFormState, type ChargePreview, type SlotsResult } from "./types";
import { AuthError, CredentialsSignin } from "next-auth";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { auth, signIn } from "@/lib/auth";
import { PHONE_CODE_PROVIDER } from "@/lib/auth/phone-code-provider";
import { getAvailability } from "@/lib/booking/availability";
import { createBooking } from "@/lib/booking/create-booking";
import { previewCharge } from "@/lib/booking/due-preview";
import { answersFromFormData, parseFieldDefinitions } from "@/lib/booking/fields";
import { AppError, isDbUnavailable, toAppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { requestLocale } from "@/lib/i18n/server";
import { availabilityLimits, clientIp, consumeLimits, limitBooking } from "@/lib/rate-limit";
import { getService } from "@/lib/services/queries";
import { otpVerifySchema } from "@/lib/validations/otp";
import { requiredConsentSchema } from "@/lib/validations/privacy";
import { bookingFailure } from "./booking-errors";
import { phoneIs } from "@/lib/pii";
import { log } from "@/lib/log";

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const rangeSchema = z.object({ serviceId: z.uuid(), from: localDate, to: localDate, excludeBookingId: z.uuid().optional() });

/** The signed-in user as availability rules see them (groups decide restricted slots); null when anonymous. */
async function currentCustomer() {
  const session = await auth();
  if (!session?.user?.id) return null;
  const [row] = await getDb().select({ id: users.id, groups: users.groups }).from(users).where(eq(users.id, session.user.id)).limit(1);
  return row ?? null;
}

/**
 * Slots of a service for a range of local dates, judged for the current visitor: a signed-in
 * customer sees their own limits (active bookings, groups); anonymous visitors see what anyone could book.
 */
export async function loadSlotsAction(input: {
  serviceId: string;
  from: string;
  to: string;
  excludeBookingId?: string;
}): Promise<SlotsResult> {
  const locale = await requestLocale();
  const t = await getTranslations("calendar");
  const parsed = rangeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: t("loadFailed") };
  try {
    await consumeLimits(availabilityLimits(clientIp(await headers())));
    const result = await getAvailability({ ...parsed.data, customer: await currentCustomer(), locale });
    return { ok: true, ...result };
  } catch (e) {
    const expected = toAppError(e, "availability action");
    if (expected) return { ok: false, message: expected.messageIn(locale) };
    log.error("[action] availability failed", e);
    return { ok: false, message: t("loadFailed") };
  }
}

/**
 * Guest booking: an anonymous visitor proves the phone number with an SMS code in the booking form.
 * The code signs them in (a new number becomes a customer account without a password), so the
 * booking and its payment page are theirs like any other. The privacy policy is accepted on the
 * form by every guest (the same answer for a new and a known number) and recorded with the account.
 */
async function signInGuest(formData: FormData): Promise<string> {
  if (formData.get("phone") === null) throw new AppError("UNAUTHENTICATED", "signIn");
  const input = parseInput(otpVerifySchema, { phone: formData.get("phone"), code: formData.get("code") });
  parseInput(requiredConsentSchema, { privacyConsent: formData.get("privacyConsent") });
  try {
    await signIn(PHONE_CODE_PROVIDER, { ...input, privacyConsent: "on", redirect: false });
  } catch (e) {
    if (e instanceof CredentialsSignin && e.code === "rate_limited") throw new AppError("RATE_LIMITED", "otpTooMany");
    if (e instanceof AuthError && !isDbUnavailable(e)) throw new AppError("UNAUTHENTICATED", "otpWrongCode");
    throw e;
  }
  const [user] = await getDb().select({ id: users.id }).from(users).where(phoneIs(input.phone)).limit(1);
  if (!user) throw new AppError("UNAUTHENTICATED", "signIn");
  return user.id;
}

/** A wrong SMS code is shown beside the code input as well; the rest as for any booking. */
const guestOrBookingFailure = async (e: AppError, locale: Locale): Promise<Partial<ActionResult> | undefined> =>
  e.key === "otpWrongCode" ? { fieldErrors: { code: [e.messageIn(locale)] } } : bookingFailure(e, locale);

const bookingFormSchema = z.object({
  serviceId: z.uuid(),
  timeslotId: z.uuid(),
  seats: z.coerce.number().int().min(1).max(50).default(1),
  idempotencyKey: z.string().trim().min(8).max(200),
  passId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid("invalidPass").optional()),
  couponCode: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(40).optional()),
  /** 选技师: a staff member's id, or "any" / nothing for any available. */
  staffId: z.preprocess((v) => (v === "" || v === "any" || v === null ? undefined : v), z.uuid("invalidStaff").optional()),
});

const previewSchema = z.object({
  serviceId: z.uuid(),
  seats: z.coerce.number().int().min(1).max(50).default(1),
  passId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid("invalidPass").optional()),
  couponCode: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(40).optional()),
});

/** The booker's price bar with a card or a coupon: the same pricing the booking will apply, or why it would be refused. */
export async function previewChargeAction(input: {
  serviceId: string;
  seats: number;
  passId?: string;
  couponCode?: string;
}): Promise<ChargePreview> {
  return runAction({ auth: "none" }, async (user) => {
    const parsed = parseInput(previewSchema, input);
    const service = await getService(getDb(), parsed.serviceId);
    if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
    // Anonymous visitors can try a coupon; a card needs its holder signed in.
    if (parsed.passId && !user) throw new AppError("UNAUTHENTICATED", "signIn");
    return { ok: true, data: await previewCharge(getDb(), service, { customerId: user?.id ?? "", ...parsed }) };
  });
}

/**
 * Books the chosen slot. The idempotency key comes from the form's render, so a double submit or a
 * retried request returns the first booking instead of taking a second seat.
 */
export async function createBookingAction(_prev: BookingFormState, formData: FormData): Promise<BookingFormState> {
  return runAction({ auth: "none", onError: guestOrBookingFailure }, async (user, locale) => {
    const customerId = user?.id ?? (await signInGuest(formData));
    const input = parseInput(bookingFormSchema, {
      serviceId: formData.get("serviceId"),
      timeslotId: formData.get("timeslotId"),
      seats: formData.get("seats") ?? undefined,
      idempotencyKey: formData.get("idempotencyKey"),
      passId: formData.get("passId") ?? undefined,
      couponCode: formData.get("couponCode") ?? undefined,
      staffId: formData.get("staffId"),
    });
    const service = await getService(getDb(), input.serviceId);
    if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
    const booking = await limitBooking(customerId, clientIp(await headers()), () =>
      createBooking({
        customerId,
        timeslotId: input.timeslotId,
        seats: input.seats,
        fields: answersFromFormData(formData, parseFieldDefinitions(service.fields), FIELD_PREFIX),
        idempotencyKey: input.idempotencyKey,
        passId: input.passId,
        couponCode: input.couponCode,
        staffId: input.staffId ?? null,
        locale,
      }),
    );
    redirect(`/bookings/${booking.id}`);
  });
}
