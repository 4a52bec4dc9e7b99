-- Waitlist (候补): a full slot's queue; an offered entry holds its seats in timeslots.booked_count.
CREATE TYPE "public"."waitlist_status" AS ENUM('waiting', 'offered', 'booked', 'expired', 'left');--> statement-breakpoint
CREATE TABLE "waitlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"timeslot_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"seats" integer DEFAULT 1 NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "waitlist_status" DEFAULT 'waiting' NOT NULL,
	"rank" integer NOT NULL,
	"booking_id" uuid,
	"offered_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waitlist_seats_check" CHECK ("waitlist_entries"."seats" > 0)
);--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_timeslot_id_timeslots_id_fk" FOREIGN KEY ("timeslot_id") REFERENCES "public"."timeslots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "waitlist_live_key" ON "waitlist_entries" USING btree ("timeslot_id","customer_id") WHERE "waitlist_entries"."status" in ('waiting', 'offered');--> statement-breakpoint
CREATE INDEX "waitlist_queue_idx" ON "waitlist_entries" USING btree ("timeslot_id","status","rank");--> statement-breakpoint
CREATE INDEX "waitlist_customer_idx" ON "waitlist_entries" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "waitlist_offer_idx" ON "waitlist_entries" USING btree ("offer_expires_at") WHERE "waitlist_entries"."status" = 'offered';--> statement-breakpoint
CREATE INDEX "waitlist_booking_idx" ON "waitlist_entries" USING btree ("booking_id") WHERE "waitlist_entries"."booking_id" is not null;--> statement-breakpoint
-- No-shows staff forgave stop counting in the customer's rule facts.
ALTER TABLE "bookings" ADD COLUMN "no_show_forgiven_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "bookings_no_show_idx" ON "bookings" USING btree ("customer_id") WHERE "bookings"."status" = 'no_show';
