import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { timeslots, type Timeslot } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { loadSlotContext, type SlotContext } from "./context";
import { dryRunRules } from "./dry-run";
import { weeklyStarts } from "./series-occurrences";

export type OccurrenceReason = "no_slot" | "closed" | "full" | "rule";

/** One week of a series as the customer sees it before confirming. */
export type Occurrence = {
  index: number;
  startsAt: string;
  endsAt: string;
  timeslotId: string | null;
  remaining: number;
  available: boolean;
  reason: OccurrenceReason | null;
  /** The rule's text in the reader's language, for reason "rule". */
  message: string | null;
};

export type SeriesPreviewInput = { customerId: string; timeslotId: string; count: number; seats?: number; locale: Locale; now?: Date };

// Capacity and closing are answered by the reason itself, not as a rule.
const decidedBySlot = new Set(["not_enough_seats", "slot_closed"]);

/** The slot of the first week's resource at that time, else the one with most room (several staff may offer it). */
function pick(candidates: Timeslot[], first: Timeslot): Timeslot | undefined {
  const same = candidates.find((s) => s.resourceId === first.resourceId && s.status === "open");
  if (same) return same;
  return [...candidates].sort((a, b) => b.capacity - b.bookedCount - (a.capacity - a.bookedCount))[0];
}

/**
 * Every week of "this slot, weekly, `count` times" with whether it can be booked now and why not:
 * no slot at that time, closed, full, or a booking rule (the same rules createBooking applies).
 * A hint for the customer: the confirmation takes the seats and decides.
 */
export async function previewSeries(db: Db, input: SeriesPreviewInput): Promise<{ ctx: SlotContext; occurrences: Occurrence[] }> {
  const seats = input.seats ?? 1;
  const ctx = await loadSlotContext(db, input.timeslotId);
  const starts = weeklyStarts(ctx.slot.startsAt, input.count, ctx.business.timezone);
  const rows = await db
    .select()
    .from(timeslots)
    .where(and(eq(timeslots.serviceId, ctx.service.id), inArray(timeslots.startsAt, starts)));
  const durationMs = ctx.slot.endsAt.getTime() - ctx.slot.startsAt.getTime();
  const occurrences: Occurrence[] = [];
  for (const [index, start] of starts.entries()) {
    const slot =
      index === 0
        ? ctx.slot
        : pick(
            rows.filter((r) => r.startsAt.getTime() === start.getTime()),
            ctx.slot,
          );
    const base = {
      index,
      startsAt: (slot?.startsAt ?? start).toISOString(),
      endsAt: (slot?.endsAt ?? new Date(start.getTime() + durationMs)).toISOString(),
      timeslotId: slot?.id ?? null,
      remaining: slot ? Math.max(0, slot.capacity - slot.bookedCount) : 0,
    };
    const reason: OccurrenceReason | null = !slot ? "no_slot" : slot.status !== "open" ? "closed" : base.remaining < seats ? "full" : null;
    let message: string | null = null;
    if (slot && !reason) {
      const run = await dryRunRules({ customerId: input.customerId, timeslotId: slot.id, locale: input.locale, now: input.now }, db);
      message = run.violations.filter((v) => !decidedBySlot.has(v.rule)).map((v) => v.text)[0] ?? null;
    }
    const why = reason ?? (message ? "rule" : null);
    occurrences.push({ ...base, available: why === null, reason: why, message });
  }
  return { ctx, occurrences };
}
