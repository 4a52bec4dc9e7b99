"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { answersFromFormData, parseFieldDefinitions } from "@/lib/booking/fields";
import { acceptOffer, joinWaitlist, leaveWaitlist } from "@/lib/booking/waitlist";
import { AppError } from "@/lib/errors";
import { getService } from "@/lib/services/queries";
import { bookingFailure } from "./booking-errors";
import { FIELD_PREFIX } from "./types";

const joinSchema = z.object({
  serviceId: z.uuid(),
  timeslotId: z.uuid(),
  seats: z.coerce.number().int().min(1).max(50).default(1),
});
const entrySchema = z.object({ entryId: z.uuid() });

/** 加入候补 on a full slot: the same joinWaitlist as POST /api/v1/timeslots/{id}/waitlist. */
export async function joinWaitlistAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "user", onError: bookingFailure }, async (user, locale) => {
    const input = parseInput(joinSchema, {
      serviceId: formData.get("serviceId"),
      timeslotId: formData.get("timeslotId"),
      seats: formData.get("seats") ?? undefined,
    });
    const service = await getService(getDb(), input.serviceId);
    if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
    const { entry } = await joinWaitlist({
      customerId: user.id,
      timeslotId: input.timeslotId,
      seats: input.seats,
      fields: answersFromFormData(formData, parseFieldDefinitions(service.fields), FIELD_PREFIX),
      locale,
    });
    revalidatePath("/me");
    const t = await getTranslations({ locale, namespace: "waitlist" });
    return { ok: true, message: t("joined", { position: entry.position ?? 1 }) };
  });
}

/** Accepts a free seat offered from the queue (a paid one goes to its pay page). */
export async function acceptOfferAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await runAction({ auth: "user", onError: bookingFailure }, async (user, locale) => {
    const { entryId } = parseInput(entrySchema, { entryId: formData.get("entryId") });
    const { booking } = await acceptOffer({ entryId, actor: { id: user.id, role: user.role }, locale });
    revalidatePath("/me");
    return { ok: true, data: { bookingId: booking.id, status: booking.status } };
  });
  const data = result.data as { bookingId: string; status: string } | undefined;
  if (result.ok && data) redirect(data.status === "pending_payment" ? `/bookings/${data.bookingId}/pay` : `/bookings/${data.bookingId}`);
  return result;
}

/** Leaves the queue; an offer's held seat goes on to the next in line. */
export async function leaveWaitlistAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "user" }, async (user, locale) => {
    const { entryId } = parseInput(entrySchema, { entryId: formData.get("entryId") });
    await leaveWaitlist({ entryId, actor: { id: user.id, role: user.role } });
    revalidatePath("/me");
    revalidatePath(`/me/waitlist/${entryId}`);
    const t = await getTranslations({ locale, namespace: "waitlist" });
    return { ok: true, message: t("left") };
  });
}
