-- bookings.rescheduled_from_id gets its foreign key. No code deletes bookings, but a link to a row
-- that is gone (a hand-run cleanup) would refuse the constraint: such links are cleared first.
UPDATE "bookings" SET "rescheduled_from_id" = NULL, "updated_at" = now()
WHERE "rescheduled_from_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "bookings" "b" WHERE "b"."id" = "bookings"."rescheduled_from_id");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_rescheduled_from_id_bookings_id_fk" FOREIGN KEY ("rescheduled_from_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_rescheduled_from_idx" ON "bookings" USING btree ("rescheduled_from_id") WHERE "bookings"."rescheduled_from_id" is not null;
