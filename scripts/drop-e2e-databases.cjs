// Drops the databases the PostgreSQL browser-test phase created (yuyue_e2e_*) on the server in argv[2].
const postgres = require("postgres");
const sql = postgres(process.argv[2], { max: 1, onnotice() {} });
(async () => {
  const rows = await sql`select datname from pg_database where datname like 'yuyue\\_e2e\\_%'`;
  for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
  await sql.end();
})().catch((e) => {
  console.warn("could not drop e2e databases:", e.message);
  process.exit(0);
});
