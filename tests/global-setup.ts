import postgres from "postgres";

/**
 * With DATABASE_URL set, the suite runs against a fresh database created on that
 * server (migrations from scratch, nothing left behind); otherwise each test file
 * opens its own in-memory PGlite. Workers inherit the rewritten env (DATABASE_REPLICA_URLS, streaming
 * replicas of that server, are pointed at the new database too).
 */
export default async function setup() {
  process.env.TZ = "Asia/Shanghai";
  const base = process.env.DATABASE_URL;
  if (!base || base.trim() === "") {
    process.env.DATABASE_URL = "";
    process.env.PGLITE_DATA_DIR = "memory://";
    return;
  }
  const name = `yuyue_test_${Date.now().toString(36)}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  // Streaming replicas of that server carry the new database too: point them at it.
  const replicas =
    process.env.DATABASE_REPLICA_URLS?.split(",")
      .map((u) => u.trim())
      .filter(Boolean) ?? [];
  process.env.DATABASE_REPLICA_URLS = replicas
    .map((u) => {
      const replica = new URL(u);
      replica.pathname = `/${name}`;
      return replica.toString();
    })
    .join(",");
  process.env.TEST_DATABASE_NAME = name;
  process.env.CACHE_PREFIX = `yuyue-test-${Date.now().toString(36)}:`;

  return async () => {
    const cleanup = postgres(base, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
    await cleanup.end();
  };
}
