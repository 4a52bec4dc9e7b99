import "server-only";
import { eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { bookingSeries, bookings, type BookingSeries } from "@/db/schema";
import type { NewBookingSeries } from "@/db/schema/series";
import { audit } from "@/lib/audit";
import { AppError, isAppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { loadSlotContext, type SlotContext } from "./context";
import { createBooking } from "./create-booking";
import type { BookingDto } from "./dto";
import { forgetSeatGates } from "./seat-gate";
import { previewSeries, type Occurrence } from "./preview-series";

export type BookSeriesInput = {
  customerId: string;
  /** The first week's slot. */
  timeslotId: string;
  count: number;
  /** Week indexes (0 = the first) left out: the unavailable ones, or any the customer does not want. */
  skip?: number[];
  seats?: number;
  fields?: Record<string, unknown>;
  actorId?: string;
  locale: Locale;
  now?: Date;
};

/** Why a week of the series could not be booked, in the error's details (409 SLOT_FULL). */
export type RefusedOccurrence = Pick<Occurrence, "index" | "startsAt" | "timeslotId"> & { reason: string };

export const refused = (list: RefusedOccurrence[]) =>
  new AppError("SLOT_FULL", "seriesUnavailable", { occurrences: list }, { weeks: list.map((o) => o.index + 1).join(", ") });

/**
 * Books the chosen weeks all or nothing (bookTogether); a week already unavailable in the preview
 * and not skipped refuses the lot before anything is written.
 */
export async function bookSeries(
  input: BookSeriesInput,
  db: Db = getDb(),
): Promise<{ series: BookingSeries; bookings: BookingDto[]; skipped: Occurrence[] }> {
  const now = input.now ?? new Date();
  const skip = new Set(input.skip ?? []);
  const { ctx, occurrences } = await previewSeries(db, { ...input, now });
  const chosen = occurrences.filter((o) => !skip.has(o.index));
  if (chosen.length === 0) throw new AppError("VALIDATION_FAILED", "seriesEmpty");
  const unavailable = chosen.filter((o) => !o.available);
  if (unavailable.length > 0) throw refused(unavailable.map((o) => ({ ...o, reason: o.reason ?? "full" })));
  const made = await bookTogether(db, {
    ...input,
    now,
    ctx,
    series: { kind: "weekly", rule: { every: "week", count: input.count, skipped: [...skip].sort((a, b) => a - b) } },
    sessions: chosen.map((o) => ({ index: o.index, startsAt: o.startsAt, timeslotId: o.timeslotId! })),
  });
  return { ...made, skipped: occurrences.filter((o) => skip.has(o.index)) };
}

type Session = { index: number; startsAt: string; timeslotId: string };

/**
 * Books the sessions all or nothing, in ONE transaction: each is createBooking's own booking (its
 * rules, seats, hold and messages; nested, so a savepoint) linked to the series row. A session
 * that became unavailable since it was read, or whose last seat another customer takes while this
 * runs, rolls every session back, and the answer names it (409 SLOT_FULL). Paid services leave
 * every booking pending_payment with the same hold: one payment pays them all (pay-series.ts).
 */
export async function bookTogether(
  db: Db,
  input: Omit<BookSeriesInput, "timeslotId" | "count" | "skip"> & {
    now: Date;
    ctx: SlotContext;
    series: Pick<NewBookingSeries, "kind" | "rule" | "courseId">;
    sessions: Session[];
  },
): Promise<{ series: BookingSeries; bookings: BookingDto[] }> {
  const { ctx, now } = input;
  const slotIds = input.sessions.map((o) => o.timeslotId);
  let result: { series: BookingSeries; bookings: BookingDto[] };
  try {
    result = await db.transaction(async (tx) => {
      const [series] = await tx
        .insert(bookingSeries)
        .values({
          ...input.series,
          businessId: ctx.business.id,
          serviceId: ctx.service.id,
          customerId: input.customerId,
          seats: input.seats ?? 1,
          createdBy: input.actorId ?? input.customerId,
        })
        .returning();
      if (!series) throw new Error("series not created");
      const made: BookingDto[] = [];
      for (const o of input.sessions) {
        const booking = await createBooking(
          {
            customerId: input.customerId,
            timeslotId: o.timeslotId,
            seats: input.seats,
            fields: input.fields,
            actorId: input.actorId,
            locale: input.locale,
            now,
          },
          tx,
        ).catch((e: unknown) => {
          if (!isAppError(e) || e.code === "VALIDATION_FAILED") throw e;
          throw refused([{ index: o.index, startsAt: o.startsAt, timeslotId: o.timeslotId, reason: e.code }]);
        });
        made.push(booking);
      }
      await tx
        .update(bookings)
        .set({ seriesId: series.id })
        .where(
          inArray(
            bookings.id,
            made.map((b) => b.id),
          ),
        );
      await audit(tx, {
        actorId: input.actorId ?? input.customerId,
        action: "series.created",
        entityType: "booking_series",
        entityId: series.id,
        data: { kind: series.kind, sessions: input.sessions.map((o) => o.index), bookingIds: made.map((b) => b.id) },
      });
      return { series, bookings: made };
    });
  } catch (e) {
    // Seats a rolled-back session took from the admission counters go back (PostgreSQL stays right).
    await forgetSeatGates(slotIds);
    throw e;
  }
  const changes = await Promise.all(slotIds.map(async (id) => slotChange(await loadSlotContext(db, id))));
  await invalidateAvailability(db, changes, ctx.business.timezone, { seatsTakenOnly: true });
  return result;
}

/** The series with its bookings, for its customer (or staff); someone else's is "not found". */
export async function loadOwnSeries(db: Db, seriesId: string, actor: { id: string; role: string }) {
  const [series] = await db.select().from(bookingSeries).where(eq(bookingSeries.id, seriesId)).limit(1);
  if (!series || (actor.role === "customer" && series.customerId !== actor.id)) throw new AppError("NOT_FOUND", "seriesNotFound");
  return series;
}
