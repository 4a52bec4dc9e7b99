import { eq, sql, type SQL } from "drizzle-orm";
import { users } from "@/db/schema";
import { maskPhone, normalizePhone } from "@/lib/validations/phone";
import { decryptPii, isEncrypted, phoneHash, phoneHashOrNull } from "./cipher";

export { decryptPii, emailHash, encryptPii, keyIdOf, phoneHash } from "./cipher";
export { maskPhone };

/**
 * The users row with this number, in any spelling: `where(phoneIs(x))` where code used to write
 * `where(eq(users.phone, x))` (the column is ciphertext now; its keyed hash is what compares).
 */
export function phoneIs(phone: string): SQL {
  return eq(users.phoneHash, phoneHash(phone));
}

/** The two columns to write whenever a user's number is set or changed (normalised): `.set({ ...phoneColumns(phone) })`. */
export function phoneColumns(phone: string | null | undefined): { phone: string | null; phoneHash: string | null } {
  const stored = phone ? (normalizePhone(phone) ?? phone.trim()) : null;
  return { phone: stored, phoneHash: phoneHashOrNull(stored) };
}

/**
 * users.phone as a list shows it, masked ("138****0001"): select `phone: maskedPhone()` in staff
 * lists, calendars, search results and exports. Only an opened record shows the number (recordPiiView).
 */
export function maskedPhone(): SQL<string | null> {
  return sql<string | null>`${users.phone}`.mapWith((v: string) => maskPhone(decryptPii(v)));
}

/** A staff search term that is a whole phone number (any spelling): its exact match; else undefined. */
export function phoneSearch(term: string | undefined): SQL | undefined {
  const phone = term ? normalizePhone(term) : null;
  return phone ? phoneIs(phone) : undefined;
}

/** A phone number or e-mail address as lists show it: "138****0001", "w***@example.com". */
export function maskContact(value: string): string {
  const phone = normalizePhone(value);
  if (phone) return maskPhone(phone);
  const at = value.indexOf("@");
  return at > 0 ? `${value[0]}***${value.slice(at)}` : value;
}

/**
 * A SQL expression that may yield an encrypted value (`coalesce(users.name, notifications.recipient)`),
 * read as lists show it: a ciphertext is decrypted and masked, anything else passes unchanged.
 */
export function maskedIfEncrypted(expression: SQL): SQL<string> {
  return sql<string>`${expression}`.mapWith((v: string) => (isEncrypted(v) ? maskContact(decryptPii(v)) : v));
}
