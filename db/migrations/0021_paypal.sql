-- PayPal: a third gateway account. Its orders are named by PayPal (gateway_order_id) and paid in the
-- order's own currency (currency, currency_amount in its minor unit), so refunds convert as the payment did.
ALTER TYPE "public"."payment_provider" ADD VALUE 'paypal';--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "gateway_order_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "currency_amount" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_currency_check" CHECK (("currency" is null) = ("currency_amount" is null) and coalesce("currency_amount", 1) > 0);
