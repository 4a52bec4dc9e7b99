#!/usr/bin/env node
// Fixes two bugs in postgres.js 3.4.9 (the newest release) that turn a database restart under load
// into 30-second (or endless) hangs and uncaught exceptions. Run by `npm install`/`npm ci` (postinstall) and by
// scripts/ensure-deps.sh; idempotent; fails loudly if the driver's code is not what it expects.
//
// The first bug, in src/connection.js: writes are buffered in `chunk` and flushed by a setImmediate
// (`nextWriteTimer`). When a query is written to a connection whose socket has just closed (a
// transaction's ROLLBACK after the server terminated it, say), the flush runs with `socket === null`
// and throws a TypeError out of the timer (an uncaught exception) before it resets `chunk` and
// `nextWriteTimer`. From then on that connection's `write()` only appends to `chunk` (it schedules a
// flush only while `nextWriteTimer === null`), so its next connect never sends its StartupMessage:
// the server waits for it (a restarting server waits for it before it can finish shutting down) and
// the query waits for `connect_timeout`, 30 s by default. `closed()` and `terminate()` likewise leave
// the cleared timer and the dead socket's unsent bytes behind, to be prefixed to the next startup.
//
// A second bug in closed(): when the socket closes after an 'error' event (ECONNRESET while the server
// shuts down), queries written between the error and the close (the failed transaction's ROLLBACK)
// stay in `query`/`sent`, and the stale error response stays in `errorResponse`. After the reconnect,
// the connection's first query fails with the old error, and the stale entries are taken for queries
// in flight: responses are matched to the wrong queries and a transaction waits forever for an answer
// the server already sent (seen: a transaction idle on the server until idle_in_transaction_session_timeout).
//
// The fix: a flush with no socket drops its bytes and fails the connection's queries with
// CONNECTION_CLOSED; closing or terminating a socket drops its unsent bytes and resets the timer;
// closing a socket fails every query still pending on it and forgets its half-read result and error.
// tests/db-outage.test.ts restarts a PostgreSQL cluster under a booking burst and fails without it.
import { readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkgDir = path.join(root, "node_modules", "postgres");
const MARK = "/* yuyue: patched (2 bugs, 4 edits), see scripts/patch-postgres.mjs */";

const edits = [
  {
    what: "nextWrite without a socket",
    from: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n",
    to:
      "  function nextWrite(fn) {\n" +
      `    ${MARK}\n` +
      "    if (!socket) {\n" +
      "      chunk = nextWriteTimer = null\n" +
      "      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
      "      return false\n" +
      "    }\n" +
      "    const x = socket.write(chunk, fn)\n",
  },
  {
    what: "terminate leaves the pending write behind",
    from: "    terminated = true\n    if (stream || query || initial || sent.length)\n      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n",
    to: "    terminated = true\n    if (stream || query || initial || sent.length)\n      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n",
  },
  {
    what: "closed after an error keeps queries written since",
    from: "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    to: "    if (query || sent.length)\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n    query = errorResponse = null\n    result = new Result()\n    rows = 0\n",
  },
  {
    what: "closed leaves the pending write behind",
    from: "    incomings = null\n    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n",
    to: "    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)\n",
  },
];

if (!existsSync(pkgDir)) {
  console.log("patch-postgres: postgres is not installed, nothing to patch");
  process.exit(0);
}
const version = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;

let patched = 0;
for (const rel of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const file = path.join(pkgDir, rel);
  if (!existsSync(file)) continue;
  let text = readFileSync(file, "utf8");
  if (text.includes(MARK)) continue;
  for (const e of edits) {
    const count = text.split(e.from).length - 1;
    if (count !== 1) {
      console.error(`patch-postgres: postgres ${version} ${rel}: expected code for "${e.what}" found ${count} times.`);
      console.error(
        "The driver changed: check whether it fixes the bug described in scripts/patch-postgres.mjs, then update or remove this script.",
      );
      process.exit(1);
    }
    text = text.replace(e.from, e.to);
  }
  // Write a new file and rename it over the old one: node_modules may be hard-linked into other
  // checkouts (`cp -al`), which must not change under them.
  const tmp = `${file}.yuyue-tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  patched++;
}
if (patched > 0) console.log(`patch-postgres: patched postgres ${version} (${patched} files)`);
