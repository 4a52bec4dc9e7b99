import { sql } from "drizzle-orm";
import { encryptedText } from "@/lib/pii/columns";
import { check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["customer", "staff", "admin"]);

export type NotificationPrefs = { email: boolean; sms: boolean; inApp: boolean };

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    email: text("email"),
    /** Encrypted (lib/pii); looked up by `phoneHash` only. */
    phone: encryptedText("phone"),
    /** HMAC of the normalised number (lib/pii/cipher.ts phoneHash): sign-in, codes, uniqueness, staff search. */
    phoneHash: text("phone_hash"),
    emailVerified: timestamp("email_verified", { withTimezone: true }),
    image: text("image"),
    passwordHash: text("password_hash"),
    role: userRole("role").notNull().default("customer"),
    locale: text("locale").notNull().default("zh-CN"),
    /** Customer groups such as "member"; slots and rules may be restricted to them. */
    groups: text("groups")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notificationPrefs: jsonb("notification_prefs").$type<NotificationPrefs>().notNull().default({ email: true, sms: true, inApp: true }),
    notes: text("notes"),
    /** Carried by every session; bumped on sign-out, password change and role change to end them all. */
    sessionVersion: integer("session_version").notNull().default(0),
    /** Set when the customer proved the number with a one-time code; cleared when the number changes unverified. */
    phoneVerifiedAt: timestamp("phone_verified_at", { withTimezone: true }),
    /** WeChat identities: the official account's openid (JSAPI pay needs it) and the open platform's unionid. */
    wechatOpenid: text("wechat_openid"),
    wechatUnionid: text("wechat_unionid"),
    /** The privacy policy version the person accepted, and when (PIPL consent; lib/pii/consent.ts). */
    privacyConsentVersion: text("privacy_consent_version"),
    privacyConsentAt: timestamp("privacy_consent_at", { withTimezone: true }),
    /** Set when the account was deleted by its owner: the row stays, anonymised, for the bookings ledger. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** The mini-program's openid (another AppID, so another openid than the official account's). */
    wechatMiniOpenid: text("wechat_mini_openid"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // sign-in by email (stored lower-cased) or by phone
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_phone_hash_key").on(t.phoneHash),
    // sign-in inside WeChat by openid / unionid
    uniqueIndex("users_wechat_openid_key").on(t.wechatOpenid),
    uniqueIndex("users_wechat_unionid_key").on(t.wechatUnionid),
    uniqueIndex("users_wechat_mini_openid_key").on(t.wechatMiniOpenid),
    // staff customer search by name
    index("users_role_name_idx").on(t.role, t.name),
    check(
      "users_contact_check",
      sql`${t.email} is not null or ${t.phone} is not null or ${t.wechatOpenid} is not null or ${t.wechatMiniOpenid} is not null or ${t.deletedAt} is not null`,
    ),
  ],
);

export type User = typeof users.$inferSelect;

/** Auth.js adapter tables (OAuth accounts, database sessions, email sign-in tokens). */
export const accounts = pgTable(
  "accounts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ name: "accounts_pkey", columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable("sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { withTimezone: true }).notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: "verification_tokens_pkey", columns: [t.identifier, t.token] })],
);

/** Bearer tokens for the REST API. Only the SHA-256 of the token is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull().default("api"),
    tokenHash: text("token_hash").notNull(),
    /** First characters of the token, shown to the owner to tell keys apart. */
    prefix: text("prefix").notNull(),
    /** customer: never acts as staff, whatever the owner's role; staff: the owner's current role. */
    scope: text("scope", { enum: ["customer", "staff"] })
      .notNull()
      .default("customer"),
    expiresAt: timestamp("expires_at", { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '30 days'`),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // every authenticated API request looks its token up by hash
    uniqueIndex("api_keys_token_hash_key").on(t.tokenHash),
    index("api_keys_user_idx").on(t.userId),
    check("api_keys_scope_check", sql`${t.scope} in ('customer', 'staff')`),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
