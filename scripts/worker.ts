/**
 * `npm run worker`: runs every registered job handler until SIGINT/SIGTERM. Several of these may
 * run against one PostgreSQL database; on the embedded database workers run inside the app server.
 */
import { closeDb } from "@/db/client";
import { isEmbeddedDb } from "@/lib/env";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import "@/lib/composition/jobs";

if (isEmbeddedDb()) {
  console.error(
    "npm run worker needs DATABASE_URL (PostgreSQL). The embedded PGlite database can only be opened " +
      "by one process, the app server, which runs the job workers itself.",
  );
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    console.error(`[worker] ${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  console.log(`[worker] ${signal}: finishing running jobs…`);
  try {
    await stopWorkers();
    await stopBoss();
    await closeDb();
    process.exit(0);
  } catch (err) {
    console.error("[worker] shutdown failed:", err);
    process.exit(1);
  }
}
process.on("SIGINT", (s) => void shutdown(s));
process.on("SIGTERM", (s) => void shutdown(s));

try {
  const queues = await startWorkers();
  console.log(`[worker] pid ${process.pid} working ${queues.length} queues: ${queues.join(", ")}`);
} catch (err) {
  console.error("[worker] failed to start:", err);
  await stopBoss().catch(() => {});
  await closeDb().catch(() => {});
  process.exit(1);
}
