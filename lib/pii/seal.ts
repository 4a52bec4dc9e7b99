import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { bookings, notifications, users } from "@/db/schema";
import { phoneHashOrNull, PII_PREFIX } from "./cipher";
import { decodeEncryptedJson, ENCRYPTED_JSON_KEY } from "./columns";
import { keyring } from "./keys";

export type SealReport = { users: number; bookings: number; notifications: number };

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
  const report: SealReport = { users: 0, bookings: 0, notifications: 0 };

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

  const sealedFields = sql`coalesce(${sql.raw(`"bookings"."fields"->>'${ENCRYPTED_JSON_KEY}'`)}, '')`;
  await walk(
    db,
    bookings.id,
    bookings,
    sql`${sql.raw('"bookings"."fields"')} <> '{}'::jsonb and ${sealedFields} not like ${wanted}`,
    async (ids) => {
      const rows = await db
        .select({ id: bookings.id, fields: sql<unknown>`${sql.raw('"bookings"."fields"')}` })
        .from(bookings)
        .where(inArray(bookings.id, ids));
      for (const row of rows) {
        const fields = decodeEncryptedJson(row.fields) as Record<string, unknown>;
        await db
          .update(bookings)
          .set({ fields, updatedAt: sql`${bookings.updatedAt}` })
          .where(eq(bookings.id, row.id));
      }
      report.bookings += rows.length;
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
