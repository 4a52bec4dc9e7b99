import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { seed } from "./demo-data";
import { getCache } from "@/lib/cache";
import { env } from "@/lib/env";

const conn = connection();
await runMigrations(conn);
const result = await seed(conn.db, new Date(), { demoAccounts: Boolean(env.SEED_DEMO_ACCOUNTS) });
console.log(`seeded demo business ${result.business}: ${result.slots} new timeslots (${conn.kind})`);
if (result.demoAccounts) console.log(`demo accounts present (SEED_DEMO_ACCOUNTS): never run this on a public server`);
else console.log("no accounts created: create the first admin with `npm run admin:create -- --email … --name …`");
// Seeding invalidates cached availability, which opened the cache client: close it too.
await getCache().close();
await closeDb();
