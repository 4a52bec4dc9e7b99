import "server-only";
import { defineJob } from "@/lib/jobs/registry";
import { deliverNotification } from "./deliver";

/**
 * Retries with backoff: 5-10 s, 10-20 s, … 320-640 s (about 20 minutes in all, as before with
 * 20 s × 5). The first retry is short because a job whose worker died (its 10 s lease lapsed)
 * comes back through it: a killed worker's messages go out within a minute of a new one starting.
 */
const RETRY_LIMIT = 7;

/** Delivers one outbox row; retried with exponential backoff, dead after the last attempt. */
export const deliverJob = defineJob<{ notificationId: string }>({
  name: "notifications.deliver",
  options: {
    retryLimit: RETRY_LIMIT,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 3600,
    heartbeatSeconds: 10,
    concurrency: 4,
  },
  async handler(data, ctx) {
    const outcome = await deliverNotification(ctx.db, data.notificationId, ctx.retryCount >= RETRY_LIMIT);
    if (outcome === "retry") throw new Error(`delivery of ${data.notificationId} failed; will retry`);
  },
});
