/**
 * Notification worker throughput: writes N outbox messages (email + in-app, dev transports) in
 * transactions as the app does, then starts this process's workers and times delivery of all of
 * them. Uses DATABASE_URL (a fresh database on that server, dropped afterwards), else PGlite.
 */
import { eq, and, count } from "drizzle-orm";
import postgres from "postgres";

const n = Number(process.env.BENCH_MESSAGES ?? 2000);
const adminUrl = process.env.DATABASE_URL;
const dbName = `yuyue_bench_w_${Date.now().toString(36)}`;
if (adminUrl) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${dbName}"`);
  await sql.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
} else {
  process.env.PGLITE_DATA_DIR = "memory://";
}

const { closeDb, connection, getDb } = await import("@/db/client");
const { runMigrations } = await import("@/db/migrate");
const { notifications, users } = await import("@/db/schema");
await import("@/lib/composition/jobs");
const { getBoss, stopBoss } = await import("@/lib/jobs/boss");
const { startWorkers, stopWorkers } = await import("@/lib/jobs/worker");
const { notify } = await import("@/lib/notifications/outbox");

try {
  await runMigrations(connection());
  await getBoss();
  const db = getDb();
  const [user] = await db
    .insert(users)
    .values({ name: "压测", email: "bench@example.com", notificationPrefs: { email: true, sms: false, inApp: true } })
    .returning();
  const data = {
    bookingCode: "BENCH234",
    customerName: "压测",
    serviceName: "推拿",
    businessName: "悦康",
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 90_000_000).toISOString(),
  };
  const perTx = 50;
  const t0 = Date.now();
  for (let i = 0; i < n / 2; i += perTx) {
    await db.transaction(async (tx) => {
      for (let k = i; k < Math.min(i + perTx, n / 2); k++)
        await notify(tx, { userId: user!.id, event: "booking_confirmed", data, key: `bench:${k}` });
    });
  }
  const written = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  await startWorkers({ queues: ["notifications.deliver"], pollingIntervalSeconds: 0.5 });
  for (;;) {
    const [row] = await db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, user!.id), eq(notifications.status, "sent")));
    if (Number(row?.n) >= n) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const delivered = (Date.now() - t1) / 1000;
  console.log(`\n${connection().kind}: wrote ${n} outbox messages (+ jobs) in ${written.toFixed(1)} s (${Math.round(n / written)}/s);`);
  console.log(
    `delivered all ${n} (email + in-app, dev transports) in ${delivered.toFixed(1)} s: ${Math.round(n / delivered)} messages/s with one worker process\n`,
  );
  await stopWorkers();
} finally {
  await stopBoss(5_000);
  await closeDb();
  if (adminUrl) {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${dbName}" with (force)`);
    await sql.end();
  }
}
