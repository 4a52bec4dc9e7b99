import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * One-time codes, texted to a number or (sign-up) mailed to an address. Only an HMAC of the code
 * is kept; a code is used once (`consumed_at`), dies after `expires_at`, and is burned after five
 * wrong tries (`attempts`). Requests per number or address are counted from these rows, so the
 * resend interval and caps hold across app nodes.
 */
export const otpCodes = pgTable(
  "otp_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /**
     * phoneHash of the number, or emailHash of the address for an e-mail code (lib/pii; the two hash
     * in separate namespaces): neither the number nor the address is kept here.
     */
    phoneHash: text("phone_hash").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    requestedIp: text("requested_ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // the latest code of a number (verify) and its codes in the last minute/hour/day (request limits)
  (t) => [index("otp_codes_phone_created_idx").on(t.phoneHash, t.createdAt)],
);

export type OtpCode = typeof otpCodes.$inferSelect;
