import "server-only";
import { eq } from "drizzle-orm";
import { services } from "@/db/schema";
import { defineJob } from "@/lib/jobs/registry";
import { expireHolds } from "./expire-holds";
import { markNoShows } from "./no-show";
import { reconcileServiceNow } from "./reconcile-slots";
import { expireOffers } from "./waitlist-offers";
import { log } from "@/lib/log";

/** Unpaid holds past their deadline give their seats back within a minute. */
export const expireHoldsJob = defineJob({
  name: "booking.expire-holds",
  options: { schedule: "* * * * *", policy: "short", retryLimit: 2, retryDelay: 10 },
  async handler(_data, ctx) {
    const expired = await expireHolds(new Date(), ctx.db);
    if (expired.length > 0) log.info(`[jobs] expired ${expired.length} unpaid holds`);
  },
});

/** Waitlist offers of free seats not accepted in time go to the next in line within a minute. */
export const expireOffersJob = defineJob({
  name: "booking.expire-waitlist-offers",
  options: { schedule: "* * * * *", policy: "short", retryLimit: 2, retryDelay: 10 },
  async handler(_data, ctx) {
    const expired = await expireOffers(new Date(), ctx.db);
    if (expired.length > 0) console.log(`[jobs] expired ${expired.length} waitlist offers`);
  },
});

/** Confirmed bookings not checked in the policy's noShowAfterMinutes after their start become no_show. */
export const markNoShowsJob = defineJob({
  name: "booking.mark-no-shows",
  options: { schedule: "* * * * *", policy: "short", retryLimit: 2, retryDelay: 10 },
  async handler(_data, ctx) {
    const marked = await markNoShows(new Date(), ctx.db);
    if (marked.length > 0) console.log(`[jobs] marked ${marked.length} no-shows`);
  },
});

/**
 * Keeps every active service's rolling window of timeslots filled (only what is new is inserted) and in
 * line with its schedule and the holidays, should an edit's own reconcile ever have been missed.
 */
export const rollTimeslotsJob = defineJob({
  name: "booking.roll-timeslots",
  options: { schedule: "15 3 * * *", policy: "short", retryLimit: 3 },
  async handler(_data, ctx) {
    const active = await ctx.db.select({ id: services.id }).from(services).where(eq(services.active, true));
    for (const s of active) await reconcileServiceNow(ctx.db, s.id);
  },
});

// The payments jobs that apply a payment to its booking are defined beside the bound entry points.
export { closeOrdersJob, reconcileBillsJob, reconcileJob } from "./payments";
