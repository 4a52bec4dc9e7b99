-- Several staff members per service (选技师): who offers what, their hours, breaks and time off,
-- the staff member of each booking, and one busy interval per (timeslot, resource).
CREATE TYPE "public"."staff_policy" AS ENUM('least_booked', 'round_robin');--> statement-breakpoint
CREATE TYPE "public"."time_off_kind" AS ENUM('leave', 'sick', 'other');--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "photo_url" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "weekly_hours" jsonb;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "breaks" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "date_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "staff_policy" "staff_policy" DEFAULT 'least_booked' NOT NULL;--> statement-breakpoint
CREATE TABLE "service_staff" (
	"service_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_staff_pkey" PRIMARY KEY("service_id","resource_id"),
	CONSTRAINT "service_staff_weight_check" CHECK ("service_staff"."weight" > 0)
);--> statement-breakpoint
ALTER TABLE "service_staff" ADD CONSTRAINT "service_staff_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_staff" ADD CONSTRAINT "service_staff_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_staff_resource_idx" ON "service_staff" USING btree ("resource_id");--> statement-breakpoint
CREATE TABLE "staff_time_off" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"kind" "time_off_kind" DEFAULT 'leave' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_time_off_range_check" CHECK ("staff_time_off"."ends_at" > "staff_time_off"."starts_at")
);--> statement-breakpoint
ALTER TABLE "staff_time_off" ADD CONSTRAINT "staff_time_off_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_time_off" ADD CONSTRAINT "staff_time_off_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_time_off_resource_idx" ON "staff_time_off" USING btree ("resource_id","starts_at");--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "staff_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_staff_id_resources_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."resources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD COLUMN "staff_id" uuid;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_staff_id_resources_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."resources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_staff_idx" ON "bookings" USING btree ("staff_id") WHERE "bookings"."staff_id" is not null;--> statement-breakpoint
ALTER TABLE "resource_busy" ADD COLUMN "seats" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource_busy" ADD COLUMN "shared" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "resource_busy" ADD CONSTRAINT "resource_busy_seats_check" CHECK ("resource_busy"."seats" >= 0);--> statement-breakpoint
DROP INDEX "resource_busy_timeslot_key";--> statement-breakpoint
CREATE UNIQUE INDEX "resource_busy_timeslot_key" ON "resource_busy" USING btree ("timeslot_id","resource_id");--> statement-breakpoint
-- Existing intervals hold their slot's booked seats.
UPDATE "resource_busy" rb SET "seats" = t."booked_count"
  FROM "timeslots" t WHERE t."id" = rb."timeslot_id" AND rb."active";--> statement-breakpoint
-- A service's single staff member becomes the one staff member who offers it, with its slots and
-- bookings intact: the bookings name them, their busy intervals become per-staff ones, and the
-- slots stop carrying them (a room stays the service's resource).
INSERT INTO "service_staff" ("service_id", "resource_id")
  SELECT s."id", s."resource_id" FROM "services" s
  JOIN "resources" r ON r."id" = s."resource_id" WHERE r."kind" = 'staff';--> statement-breakpoint
UPDATE "bookings" b SET "staff_id" = t."resource_id"
  FROM "timeslots" t, "resources" r
  WHERE t."id" = b."timeslot_id" AND r."id" = t."resource_id" AND r."kind" = 'staff'
    AND EXISTS (SELECT 1 FROM "service_staff" ss WHERE ss."service_id" = t."service_id");--> statement-breakpoint
UPDATE "waitlist_entries" w SET "staff_id" = t."resource_id"
  FROM "timeslots" t, "resources" r
  WHERE t."id" = w."timeslot_id" AND r."id" = t."resource_id" AND r."kind" = 'staff' AND w."status" = 'offered'
    AND EXISTS (SELECT 1 FROM "service_staff" ss WHERE ss."service_id" = t."service_id");--> statement-breakpoint
UPDATE "resource_busy" rb SET "shared" = false
  FROM "timeslots" t, "resources" r
  WHERE t."id" = rb."timeslot_id" AND r."id" = rb."resource_id" AND r."kind" = 'staff'
    AND EXISTS (SELECT 1 FROM "service_staff" ss WHERE ss."service_id" = t."service_id");--> statement-breakpoint
UPDATE "timeslots" t SET "resource_id" = NULL
  FROM "resources" r
  WHERE r."id" = t."resource_id" AND r."kind" = 'staff'
    AND EXISTS (SELECT 1 FROM "service_staff" ss WHERE ss."service_id" = t."service_id");--> statement-breakpoint
UPDATE "services" s SET "resource_id" = NULL
  FROM "resources" r WHERE r."id" = s."resource_id" AND r."kind" = 'staff';
