ALTER TYPE "public"."refund_status" ADD VALUE 'abnormal';--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "gateway_status" text;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "checked_at" timestamp with time zone;
