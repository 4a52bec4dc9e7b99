-- Raw SQL drizzle-kit cannot express, kept in the journal's one ordered chain.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- A staff member or room is never in two places at once: two active busy
-- intervals of one resource may not overlap, whichever service booked them.
ALTER TABLE "resource_busy" ADD CONSTRAINT "resource_busy_no_overlap"
  EXCLUDE USING gist ("resource_id" WITH =, "during" WITH &&) WHERE ("active");
--> statement-breakpoint
ALTER TABLE "resource_busy" ADD CONSTRAINT "resource_busy_range_check" CHECK (NOT isempty("during"));
