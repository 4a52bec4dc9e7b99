/**
 * Next.js calls `register()` once per server process before it serves requests. On the embedded
 * database (PGlite lives in this process, so no separate worker may open it) or with
 * RUN_WORKERS_IN_APP set, the job workers run here. A failure is logged, never fatal: bookings
 * still work, and their jobs wait in the queue.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    try {
      const { startWorkers, workersRunInApp } = await import("@/lib/jobs/worker");
      if (!workersRunInApp()) return;
      await import("@/lib/jobs/all");
      const queues = await startWorkers();
      console.log(`[jobs] in-process workers started for ${queues.length} queues`);
    } catch (err) {
      console.error("[jobs] in-process workers failed to start:", err);
    }
  }
}
