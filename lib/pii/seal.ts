import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { bookings, notifications, paymentEvents, users } from "@/db/schema";
import { phoneHashOrNull, PII_PREFIX } from "./cipher";
import { decodeEncryptedJson, ENCRYPTED_JSON_KEY } from "./columns";
import { keyring } from "./keys";

export type SealReport = { users: number; bookings: number; notifications: number; paymentEvents: number };

const BATCH = 500;

/**
 * Rewrites personal data that is not yet under the active key: plaintext left from before
 * migration 0010 (the backfill runMigrations does on every start; a no-op once done) and, for
 * `npm run pii:rotate`, ciphertext under an older key id. Reads the raw column (plaintext or any
 * listed key decrypts), writes through the encrypting columns, and recomputes phone_hash (all of
 * them with `rehash`, after PII_HMAC_KEY changed). Walks each table by id, so it ends.
 */
export async function sealPii(db: DbOrTx, options: { rotate?: boolean; rehash?: boolean } = {}): Promise<SealReport> {
  const wanted = options.rotate ? `${PII_PREFIX}${keyring().activeKid}:%` : `${PII_PREFIX}%`;
  const report: SealReport = { users: 0, bookings: 0, notifications: 0, paymentEvents: 0 };

  const stalePhone = sql`(${sql.raw('"users"."phone"')} not like ${wanted} or ${users.phoneHash} is null)`;
  await walk(db, users.id, users, and(isNotNull(users.phone), options.rehash ? undefined : stalePhone), async (ids) => {
    const rows = await db.select({ id: users.id, phone: users.phone }).from(users).where(inArray(users.id, ids));
    for (const row of rows) {
      await db
        .update(users)
        .set({ phone: row.phone, phoneHash: phoneHashOrNull(row.phone) })
        .where(eq(users.id, row.id));
    }
    report.users += rows.length;
  });

  report.bookings = await sealJsonColumn(db, bookings.id, bookings, "bookings", "fields", wanted, async (id, fields) => {
    await db
      .update(bookings)
      .set({ fields: fields as Record<string, unknown>, updatedAt: sql`${bookings.updatedAt}` })
      .where(eq(bookings.id, id));
  });

  // Gateway notices carry buyer identifiers (Alipay buyer_logon_id/buyer_id, WeChat payer openid).
  report.paymentEvents = await sealJsonColumn(
    db,
    paymentEvents.id,
    paymentEvents,
    "payment_events",
    "payload",
    wanted,
    async (id, payload) => {
      await db
        .update(paymentEvents)
        .set({ payload: payload as Record<string, unknown> })
        .where(eq(paymentEvents.id, id));
    },
  );

  await walk(
    db,
    notifications.id,
    notifications,
    and(isNotNull(notifications.recipient), sql`${sql.raw('"notifications"."recipient"')} not like ${wanted}`),
    async (ids) => {
      const rows = await db
        .select({ id: notifications.id, recipient: notifications.recipient })
        .from(notifications)
        .where(inArray(notifications.id, ids));
      for (const row of rows) await db.update(notifications).set({ recipient: row.recipient }).where(eq(notifications.id, row.id));
      report.notifications += rows.length;
    },
  );
  return report;
}

/**
 * An encryptedJson column (`{"pii1": …}`): rows whose value is plaintext, or sealed under another
 * key than `wanted`, are read raw, decoded and written back through the encrypting column. `{}` stays.
 */
async function sealJsonColumn(
  db: DbOrTx,
  id: PgColumn,
  table: PgTable,
  tableName: string,
  column: string,
  wanted: string,
  write: (id: string, value: unknown) => Promise<void>,
): Promise<number> {
  const raw = sql.raw(`"${tableName}"."${column}"`);
  const sealed = sql`coalesce(${sql.raw(`"${tableName}"."${column}"->>'${ENCRYPTED_JSON_KEY}'`)}, '')`;
  let count = 0;
  await walk(db, id, table, sql`${raw} <> '{}'::jsonb and ${sealed} not like ${wanted}`, async (ids) => {
    const rows = await db
      .select({ id: sql<string>`${id}`, value: sql<unknown>`${raw}` })
      .from(table)
      .where(inArray(id, ids));
    for (const row of rows) await write(row.id, decodeEncryptedJson(row.value));
    count += rows.length;
  });
  return count;
}

async function walk(db: DbOrTx, id: PgColumn, table: PgTable, where: SQL | undefined, each: (ids: string[]) => Promise<void>) {
  let after: string | undefined;
  for (;;) {
    const page = await db
      .select({ id: sql<string>`${id}` })
      .from(table)
      .where(and(where, after === undefined ? undefined : gt(id, after)))
      .orderBy(asc(id))
      .limit(BATCH);
    if (page.length === 0) return;
    await each(page.map((r) => r.id));
    after = page.at(-1)!.id;
  }
}
