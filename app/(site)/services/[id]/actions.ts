"use server";

import { eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { FIELD_PREFIX, type BookingFormState, type SlotsResult } from "@/components/booking/types";
import { fieldErrors } from "@/lib/actions";
import { AuthError, CredentialsSignin } from "next-auth";
import { auth, signIn } from "@/lib/auth";
import { PHONE_CODE_PROVIDER } from "@/lib/auth/phone-code-provider";
import { otpVerifySchema } from "@/lib/validations/otp";
import { getAvailability } from "@/lib/booking/availability";
import { createBooking } from "@/lib/booking/create-booking";
import { answersFromFormData, parseFieldDefinitions } from "@/lib/booking/fields";
import { isDbUnavailable, toAppError } from "@/lib/errors";
import { toLocale } from "@/lib/i18n/config";
import { getService } from "@/lib/services/queries";
import { bookingErrorState, localized } from "./booking-errors";

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
  const locale = toLocale(await getLocale());
  const t = await getTranslations("calendar");
  const parsed = rangeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: t("loadFailed") };
  try {
    const result = await getAvailability({ ...parsed.data, customer: await currentCustomer(), locale });
    return { ok: true, ...result };
  } catch (e) {
    const expected = toAppError(e, "availability action");
    if (expected) return { ok: false, message: localized(expected.message, locale) };
    console.error("[action] availability failed", e);
    return { ok: false, message: t("loadFailed") };
  }
}

/**
 * Guest booking: an anonymous visitor proves the phone number with an SMS code in the booking form.
 * The code signs them in (a new number becomes a customer account without a password), so the
 * booking and its payment page are theirs like any other.
 */
async function signInGuest(formData: FormData): Promise<{ ok: true; userId: string } | { ok: false; state: BookingFormState }> {
  const t = await getTranslations();
  const parsed = otpVerifySchema.safeParse({ phone: formData.get("phone"), code: formData.get("code") });
  if (!parsed.success) {
    if (formData.get("phone") === null)
      return { ok: false, state: { ok: false, code: "UNAUTHENTICATED", message: t("booking.errors.signIn") } };
    return {
      ok: false,
      state: { ok: false, code: "VALIDATION_FAILED", message: t("booking.errors.invalid"), fieldErrors: fieldErrors(parsed.error) },
    };
  }
  try {
    await signIn(PHONE_CODE_PROVIDER, { ...parsed.data, redirect: false });
  } catch (e) {
    const message = e instanceof CredentialsSignin && e.code === "rate_limited" ? t("otp.tooMany") : t("otp.wrongCode");
    if (e instanceof AuthError && !isDbUnavailable(e))
      return { ok: false, state: { ok: false, code: "UNAUTHENTICATED", message, fieldErrors: { code: [message] } } };
    return { ok: false, state: await bookingErrorState(e, toLocale(await getLocale())) };
  }
  const [user] = await getDb().select({ id: users.id }).from(users).where(eq(users.phone, parsed.data.phone)).limit(1);
  if (!user) return { ok: false, state: { ok: false, code: "UNAUTHENTICATED", message: t("booking.errors.signIn") } };
  return { ok: true, userId: user.id };
}

const bookingFormSchema = z.object({
  serviceId: z.uuid(),
  timeslotId: z.uuid(),
  seats: z.coerce.number().int().min(1).max(50).default(1),
  idempotencyKey: z.string().trim().min(8).max(200),
});

/**
 * Books the chosen slot. The idempotency key comes from the form's render, so a double submit or a
 * retried request returns the first booking instead of taking a second seat.
 */
export async function createBookingAction(_prev: BookingFormState, formData: FormData): Promise<BookingFormState> {
  const t = await getTranslations("booking.errors");
  const locale = toLocale(await getLocale());
  const session = await auth();
  let customerId = session?.user?.id;
  if (!customerId) {
    const guest = await signInGuest(formData);
    if (!guest.ok) return guest.state;
    customerId = guest.userId;
  }
  const parsed = bookingFormSchema.safeParse({
    serviceId: formData.get("serviceId"),
    timeslotId: formData.get("timeslotId"),
    seats: formData.get("seats") ?? undefined,
    idempotencyKey: formData.get("idempotencyKey"),
  });
  if (!parsed.success) return { ok: false, code: "VALIDATION_FAILED", message: t("invalid"), fieldErrors: fieldErrors(parsed.error) };

  let bookingId: string;
  try {
    const service = await getService(getDb(), parsed.data.serviceId);
    if (!service) return { ok: false, code: "NOT_FOUND", message: t("notFound") };
    const booking = await createBooking({
      customerId,
      timeslotId: parsed.data.timeslotId,
      seats: parsed.data.seats,
      fields: answersFromFormData(formData, parseFieldDefinitions(service.fields), FIELD_PREFIX),
      idempotencyKey: parsed.data.idempotencyKey,
      locale,
    });
    bookingId = booking.id;
  } catch (e) {
    return bookingErrorState(e, locale);
  }
  redirect(`/bookings/${bookingId}`);
}
