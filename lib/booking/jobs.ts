import "server-only";
import { eq } from "drizzle-orm";
import { services } from "@/db/schema";
import { defineJob } from "@/lib/jobs/registry";
import { expireHolds } from "./expire-holds";
import { reconcileServiceNow } from "./reconcile-slots";
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
export { closeOrdersJob, reconcileJob } from "./payments";
