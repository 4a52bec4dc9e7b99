import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { seed } from "@/db/seed";

const conn = connection();
await runMigrations(conn);
const result = await seed(conn.db);
console.log(`seeded demo business ${result.business}: ${result.slots} new timeslots (${conn.kind})`);
await closeDb();
