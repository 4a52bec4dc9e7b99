-- Member cards and passes (次卡 / 储值卡 / 会员卡) and coupons (优惠券), issue 13 items 2 and 4.
CREATE TYPE "public"."pass_kind" AS ENUM('visits', 'value', 'membership');--> statement-breakpoint
CREATE TYPE "public"."pass_status" AS ENUM('active', 'refunded', 'void');--> statement-breakpoint
CREATE TYPE "public"."pass_sale_status" AS ENUM('pending', 'paid', 'cancelled', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."coupon_kind" AS ENUM('fixed', 'percent');--> statement-breakpoint
CREATE TABLE "pass_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"kind" "pass_kind" NOT NULL,
	"name" text NOT NULL,
	"price_fen" integer NOT NULL,
	"visits" integer,
	"bonus_fen" integer DEFAULT 0 NOT NULL,
	"discount_percent" integer,
	"service_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"valid_days" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pass_plans_kind_check" CHECK ("pass_plans"."price_fen" >= 0 and "pass_plans"."bonus_fen" >= 0 and ("pass_plans"."valid_days" is null or "pass_plans"."valid_days" > 0) and case "pass_plans"."kind"
        when 'visits' then "pass_plans"."visits" > 0
        when 'value' then "pass_plans"."price_fen" + "pass_plans"."bonus_fen" > 0
        else "pass_plans"."discount_percent" between 1 and 100 and "pass_plans"."valid_days" is not null end)
);--> statement-breakpoint
CREATE TABLE "passes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"plan_id" uuid,
	"customer_id" uuid NOT NULL,
	"kind" "pass_kind" NOT NULL,
	"name" text NOT NULL,
	"service_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"remaining_uses" integer,
	"balance_fen" integer,
	"discount_percent" integer,
	"price_paid_fen" integer DEFAULT 0 NOT NULL,
	"granted_uses" integer,
	"granted_fen" integer,
	"status" "pass_status" DEFAULT 'active' NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "passes_remaining_check" CHECK ("passes"."remaining_uses" is null or "passes"."remaining_uses" >= 0),
	CONSTRAINT "passes_balance_check" CHECK ("passes"."balance_fen" is null or "passes"."balance_fen" >= 0)
);--> statement-breakpoint
CREATE TABLE "pass_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pass_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"booking_id" uuid,
	"uses_delta" integer DEFAULT 0 NOT NULL,
	"value_delta_fen" integer DEFAULT 0 NOT NULL,
	"discount_fen" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pass_transactions_kind_check" CHECK ("pass_transactions"."kind" in ('sale', 'use', 'return', 'grant', 'adjust', 'refund'))
);--> statement-breakpoint
CREATE TABLE "pass_sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"pass_id" uuid,
	"channel" text NOT NULL,
	"method" text,
	"amount_fen" integer NOT NULL,
	"refunded_fen" integer DEFAULT 0 NOT NULL,
	"status" "pass_sale_status" DEFAULT 'pending' NOT NULL,
	"sold_by" uuid,
	"note" text,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pass_sales_amount_check" CHECK ("pass_sales"."amount_fen" >= 0 and "pass_sales"."refunded_fen" >= 0 and "pass_sales"."refunded_fen" <= "pass_sales"."amount_fen"),
	CONSTRAINT "pass_sales_channel_check" CHECK ("pass_sales"."channel" in ('online', 'desk'))
);--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"code" text NOT NULL,
	"kind" "coupon_kind" NOT NULL,
	"amount_fen" integer,
	"percent" integer,
	"service_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"max_uses" integer,
	"max_uses_per_customer" integer,
	"used_count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_value_check" CHECK (case "coupons"."kind" when 'fixed' then "coupons"."amount_fen" > 0 else "coupons"."percent" between 1 and 100 end),
	CONSTRAINT "coupons_uses_check" CHECK ("coupons"."used_count" >= 0 and ("coupons"."max_uses" is null or "coupons"."used_count" <= "coupons"."max_uses") and ("coupons"."max_uses_per_customer" is null or "coupons"."max_uses_per_customer" > 0))
);--> statement-breakpoint
CREATE TABLE "coupon_redemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"coupon_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"discount_fen" integer NOT NULL,
	"returned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "pass_plans" ADD CONSTRAINT "pass_plans_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_plan_id_pass_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."pass_plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_transactions" ADD CONSTRAINT "pass_transactions_pass_id_passes_id_fk" FOREIGN KEY ("pass_id") REFERENCES "public"."passes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_transactions" ADD CONSTRAINT "pass_transactions_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_transactions" ADD CONSTRAINT "pass_transactions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_sales" ADD CONSTRAINT "pass_sales_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_sales" ADD CONSTRAINT "pass_sales_plan_id_pass_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."pass_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_sales" ADD CONSTRAINT "pass_sales_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_sales" ADD CONSTRAINT "pass_sales_pass_id_passes_id_fk" FOREIGN KEY ("pass_id") REFERENCES "public"."passes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_sales" ADD CONSTRAINT "pass_sales_sold_by_users_id_fk" FOREIGN KEY ("sold_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pass_plans_business_idx" ON "pass_plans" USING btree ("business_id","active");--> statement-breakpoint
CREATE INDEX "passes_customer_idx" ON "passes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "pass_transactions_pass_idx" ON "pass_transactions" USING btree ("pass_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pass_transactions_booking_use_key" ON "pass_transactions" USING btree ("booking_id") WHERE "pass_transactions"."kind" = 'use';--> statement-breakpoint
CREATE UNIQUE INDEX "pass_transactions_booking_return_key" ON "pass_transactions" USING btree ("booking_id") WHERE "pass_transactions"."kind" = 'return';--> statement-breakpoint
CREATE INDEX "pass_sales_created_idx" ON "pass_sales" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pass_sales_pass_key" ON "pass_sales" USING btree ("pass_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_business_code_key" ON "coupons" USING btree ("business_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_redemptions_booking_key" ON "coupon_redemptions" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "coupon_redemptions_customer_idx" ON "coupon_redemptions" USING btree ("coupon_id","customer_id");--> statement-breakpoint
-- A payment buys a booking or a pass sale (lib/passes/buy-pass.ts), exactly one of the two.
ALTER TABLE "payments" ALTER COLUMN "booking_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "pass_sale_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_pass_sale_id_pass_sales_id_fk" FOREIGN KEY ("pass_sale_id") REFERENCES "public"."pass_sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_pass_sale_idx" ON "payments" USING btree ("pass_sale_id") WHERE "payments"."pass_sale_id" is not null;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_check" CHECK (num_nonnulls("payments"."booking_id", "payments"."pass_sale_id") = 1);--> statement-breakpoint
ALTER TABLE "refunds" ALTER COLUMN "booking_id" DROP NOT NULL;
