import "server-only";
import { defineJob } from "@/lib/jobs/registry";
import { deliverNotification } from "./deliver";

const RETRY_LIMIT = 5;

/** Delivers one outbox row; retried with exponential backoff, dead after the last attempt. */
export const deliverJob = defineJob<{ notificationId: string }>({
  name: "notifications.deliver",
  options: { retryLimit: RETRY_LIMIT, retryDelay: 20, retryBackoff: true, retryDelayMax: 3600, concurrency: 4 },
  async handler(data, ctx) {
    const outcome = await deliverNotification(ctx.db, data.notificationId, ctx.retryCount >= RETRY_LIMIT);
    if (outcome === "retry") throw new Error(`delivery of ${data.notificationId} failed; will retry`);
  },
});
