-- Session version: every session and signed cookie carries it; bumping it (sign-out, password
-- change, role change) ends them all at once.
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- API tokens expire and carry a scope; a customer-scoped token never acts as staff.
ALTER TABLE "api_keys" ADD COLUMN "scope" text DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
UPDATE "api_keys" SET "scope" = 'staff' FROM "users" WHERE "users"."id" = "api_keys"."user_id" AND "users"."role" IN ('staff', 'admin');--> statement-breakpoint
UPDATE "api_keys" SET "expires_at" = now() + interval '30 days' WHERE "expires_at" IS NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "expires_at" SET DEFAULT now() + interval '30 days';--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "expires_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scope_check" CHECK ("scope" IN ('customer', 'staff'));
