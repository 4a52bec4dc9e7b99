/**
 * Next.js calls `register()` once per server process before it serves requests. It starts the job
 * queue with every job registered, so each queue exists before the first request: creating one
 * later, from inside a booking's transaction, could wait on that transaction's own locks. On the
 * embedded database (PGlite lives in this process, so no separate worker may open it) or with
 * RUN_WORKERS_IN_APP set, the job workers run here too. A failure is logged, never fatal:
 * bookings still work, and their jobs wait in the queue. Before all that, forwarded headers get
 * their guard (lib/http-edge.ts): no request is served with a client-chosen X-Forwarded-For.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Personal data cannot be read or written without its keys: a production server on PostgreSQL
    // without PII_KEYS / PII_HMAC_KEY stops here rather than serve (lib/pii/keys.ts).
    const { keyring } = await import("@/lib/pii/keys");
    try {
      keyring();
    } catch (err) {
      console.error("[pii]", err instanceof Error ? err.message : err);
      process.exit(1);
    }
    const { installForwardedHeaderGuard } = await import("@/lib/http-edge");
    installForwardedHeaderGuard();
    try {
      await import("@/lib/composition/jobs");
      const { getBoss } = await import("@/lib/jobs/boss");
      await getBoss();
      const { startWorkers, workersRunInApp } = await import("@/lib/jobs/worker");
      if (!workersRunInApp()) return;
      const queues = await startWorkers();
      console.log(`[jobs] in-process workers started for ${queues.length} queues`);
    } catch (err) {
      console.error("[jobs] job queue failed to start:", err);
    }
  }
}
