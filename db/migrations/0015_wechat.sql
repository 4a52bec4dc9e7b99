ALTER TABLE "users" ADD COLUMN "wechat_mini_openid" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_wechat_mini_openid_key" ON "users" USING btree ("wechat_mini_openid");--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_contact_check";--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_contact_check" CHECK ("users"."email" is not null or "users"."phone" is not null or "users"."wechat_openid" is not null or "users"."wechat_mini_openid" is not null or "users"."deleted_at" is not null);--> statement-breakpoint
ALTER TYPE "notification_channel" ADD VALUE 'wechat';--> statement-breakpoint
ALTER TABLE "businesses" ADD COLUMN "wechat_templates" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE TABLE "wechat_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"event" text NOT NULL,
	"template_id" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone
);--> statement-breakpoint
ALTER TABLE "wechat_subscriptions" ADD CONSTRAINT "wechat_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wechat_subscriptions_open_idx" ON "wechat_subscriptions" USING btree ("user_id","event") WHERE "wechat_subscriptions"."used_at" is null;
