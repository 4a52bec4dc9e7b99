import "server-only";
import { getDb, type Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { isAppError } from "@/lib/errors";
import { cancelBooking } from "./cancel-booking";
import { activeStatuses } from "./dto";
import { getSeriesView } from "./series-queries";

export type SeriesCancellation = {
  cancelled: { bookingId: string; refundFen: number }[];
  /** Weeks left as they were: past the customer's cancellation deadline, or already started. */
  kept: { bookingId: string; code: string }[];
};

/**
 * Cancels every week of the series still ahead, each as its own cancellation: the refund policy
 * applies per week (its own deadline and tier, its share of the one payment), so a week too close
 * to cancel stays booked while the later ones are cancelled and refunded.
 */
export async function cancelSeries(
  input: { seriesId: string; actor: Actor; reason?: string; now?: Date },
  db: Db = getDb(),
): Promise<SeriesCancellation> {
  const now = input.now ?? new Date();
  const series = await getSeriesView(db, input.seriesId, input.actor);
  const result: SeriesCancellation = { cancelled: [], kept: [] };
  for (const b of series.bookings) {
    if (!(activeStatuses as readonly string[]).includes(b.status) || Date.parse(b.startsAt) <= now.getTime()) continue;
    try {
      const done = await cancelBooking({ bookingId: b.id, actor: input.actor, reason: input.reason, now }, db);
      result.cancelled.push({ bookingId: b.id, refundFen: done.refundFen });
    } catch (e) {
      if (!isAppError(e)) throw e;
      result.kept.push({ bookingId: b.id, code: e.code });
    }
  }
  return result;
}
