import type { Booking, Timeslot } from "@/db/schema";

export type BookingDto = {
  id: string;
  code: string;
  status: Booking["status"];
  serviceId: string;
  timeslotId: string;
  seats: number;
  /** The staff member serving it (lib/booking/assign-staff); null when nobody offers the service. */
  staffId: string | null;
  startsAt: string;
  endsAt: string;
  priceFen: number;
  amountDueFen: number;
  holdExpiresAt: string | null;
  fields: Record<string, unknown>;
  rescheduledFromId: string | null;
  checkedInAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
};

export const toBookingDto = (b: Booking, slot: Pick<Timeslot, "startsAt" | "endsAt">): BookingDto => ({
  id: b.id,
  code: b.code,
  status: b.status,
  serviceId: b.serviceId,
  timeslotId: b.timeslotId,
  seats: b.seats,
  staffId: b.staffId,
  startsAt: slot.startsAt.toISOString(),
  endsAt: slot.endsAt.toISOString(),
  priceFen: b.priceFen,
  amountDueFen: b.amountDueFen,
  holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
  fields: b.fields,
  rescheduledFromId: b.rescheduledFromId,
  checkedInAt: b.checkedInAt?.toISOString() ?? null,
  cancelledAt: b.cancelledAt?.toISOString() ?? null,
  createdAt: b.createdAt.toISOString(),
});

/** Statuses that hold a seat (and the resource). */
export const activeStatuses = ["pending_payment", "confirmed"] as const satisfies Booking["status"][];
