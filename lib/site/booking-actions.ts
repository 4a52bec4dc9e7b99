"use server";

import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { FIELD_PREFIX, type BookingFormState, type SlotsResult } from "./types";
import { parseInput, runAction } from "@/lib/actions";
import { auth } from "@/lib/auth";
import { getAvailability } from "@/lib/booking/availability";
import { createBooking } from "@/lib/booking/create-booking";
import { answersFromFormData, parseFieldDefinitions } from "@/lib/booking/fields";
import { AppError, toAppError } from "@/lib/errors";
import { requestLocale } from "@/lib/i18n/server";
import { availabilityLimits, clientIp, consumeLimits, limitBooking } from "@/lib/rate-limit";
import { getService } from "@/lib/services/queries";
import { bookingFailure } from "./booking-errors";

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
    console.error("[action] availability failed", e);
    return { ok: false, message: t("loadFailed") };
  }
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
  return runAction({ auth: "user", onError: bookingFailure }, async (user, locale) => {
    const input = parseInput(bookingFormSchema, {
      serviceId: formData.get("serviceId"),
      timeslotId: formData.get("timeslotId"),
      seats: formData.get("seats") ?? undefined,
      idempotencyKey: formData.get("idempotencyKey"),
    });
    const service = await getService(getDb(), input.serviceId);
    if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
    const booking = await limitBooking(user.id, clientIp(await headers()), () =>
      createBooking({
        customerId: user.id,
        timeslotId: input.timeslotId,
        seats: input.seats,
        fields: answersFromFormData(formData, parseFieldDefinitions(service.fields), FIELD_PREFIX),
        idempotencyKey: input.idempotencyKey,
        locale,
      }),
    );
    redirect(`/bookings/${booking.id}`);
  });
}
