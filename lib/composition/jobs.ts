/**
 * The worker composition root: imports every module that defines jobs, so a process that runs workers knows every
 * handler. Add one line per job module (`import "@/lib/<domain>/jobs";`). Imported by `scripts/worker.ts` and by
 * `instrumentation.ts` when workers run in the app server; no domain imports it.
 */
import "@/lib/jobs/heartbeat";
import "@/lib/booking/jobs";
import "@/lib/notifications/deliver-job";
import "@/lib/payments/jobs";
