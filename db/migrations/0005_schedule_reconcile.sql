ALTER TABLE "businesses" ADD COLUMN "holidays" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "timeslots" ADD COLUMN "off_schedule_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "timeslots" ADD COLUMN "conflict_kept_at" timestamp with time zone;
