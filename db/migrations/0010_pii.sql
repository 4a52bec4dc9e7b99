-- Personal data at rest (lib/pii). Phone numbers and booking-form answers become ciphertext written
-- by the application (the database never sees the key); exact lookups go through phone_hash, an HMAC
-- of the normalised number. Existing plaintext rows are encrypted and hashed by runMigrations'
-- backfill step right after this file (db/migrate.ts → lib/pii/backfill.ts), idempotently.
ALTER TABLE "users" ADD COLUMN "phone_hash" text;--> statement-breakpoint
DROP INDEX IF EXISTS "users_phone_key";--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_hash_key" ON "users" USING btree ("phone_hash");--> statement-breakpoint
-- PIPL: the privacy policy version accepted and when; an account deleted by its owner stays as an
-- anonymised row (no contact left) so its bookings and payments keep the ledger whole.
ALTER TABLE "users" ADD COLUMN "privacy_consent_version" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "privacy_consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_contact_check";--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_contact_check" CHECK ("email" is not null or "phone" is not null or "wechat_openid" is not null or "deleted_at" is not null);--> statement-breakpoint
-- SMS codes keep the number's keyed hash, not the number. Codes live minutes: the pending ones are
-- dropped rather than hashed (their numbers ask again).
DELETE FROM "otp_codes";--> statement-breakpoint
ALTER TABLE "otp_codes" RENAME COLUMN "phone" TO "phone_hash";
