import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { seed } from "./demo-data";
import { getCache } from "@/lib/cache";

const conn = connection();
await runMigrations(conn);
const result = await seed(conn.db);
console.log(`seeded demo business ${result.business}: ${result.slots} new timeslots (${conn.kind})`);
// Seeding invalidates cached availability, which opened the cache client: close it too.
await getCache().close();
await closeDb();
