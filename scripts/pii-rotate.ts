import { parseArgs } from "node:util";
import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { keyring } from "@/lib/pii/keys";
import { sealPii } from "@/lib/pii/seal";

/**
 * `npm run pii:rotate [-- --rehash]`: re-encrypts every phone, booking-form answer, code recipient and gateway notice
 * not yet under the active key (the first of PII_KEYS). Run it after putting a new key first in
 * PII_KEYS (the old ones still listed, so both decrypt meanwhile); when it reports 0 left, the old
 * keys can be removed. `--rehash` also recomputes every phone_hash (after PII_HMAC_KEY changed).
 * Safe to stop and run again: each row is rewritten on its own, and done rows are skipped.
 */
const { values } = parseArgs({ options: { rehash: { type: "boolean", default: false } } });
const conn = connection();
try {
  await runMigrations(conn);
  const ring = keyring();
  const report = await sealPii(conn.db, { rotate: true, rehash: values.rehash });
  const left = await sealPii(conn.db, { rotate: true });
  console.log(
    `pii:rotate: active key "${ring.activeKid}" (${ring.source}); re-encrypted ${report.users} users, ${report.bookings} bookings, ` +
      `${report.notifications} messages, ${report.paymentEvents} gateway notices; ` +
      `left under other keys: ${left.users + left.bookings + left.notifications + left.paymentEvents}`,
  );
} catch (e) {
  console.error("pii:rotate failed:", e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await closeDb();
}
