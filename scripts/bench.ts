/**
 * `npm run bench`: booking throughput over HTTP against the production build.
 * Needs a built app (`npm run build`) and DATABASE_URL (a fresh database is created on that server
 * and dropped afterwards); without DATABASE_URL it runs on a fresh PGlite directory.
 * Measures, in one run: a trivial route (GET /api/ping), the public service list, a month of
 * cached availability, POST /api/v1/bookings on one hot slot, POST /api/v1/bookings spread over
 * many slots, signed Alipay paid notices (each sent twice: half are redeliveries) at
 * /api/payments/alipay/notify, and a hot-slot release (放号: 10 seats, BENCH_RELEASE_ATTEMPTS
 * attempts from BENCH_RELEASE_CUSTOMERS customers at once). Each scenario is printed with its ratio
 * to the ping measured in the same run, and the server's peak RSS at the end. With DATABASE_URL it
 * then runs every scenario again on the embedded default (PGlite, in-process cache).
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { SANDBOX_DATA_DIR } from "@/lib/payments/providers";
import { sandboxKeys } from "@/lib/payments/sandbox/keys";
import { alipayTradeNotify } from "@/lib/payments/sandbox/notify";
import { signUpByEmail, staffToken } from "./sign-up";

const port = Number(process.env.BENCH_PORT ?? 3200);
const base = `http://127.0.0.1:${port}`;
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const adminUrl = process.env.DATABASE_URL;
const dbName = `yuyue_bench_${Date.now().toString(36)}`;

async function createDatabase(): Promise<Record<string, string>> {
  if (!adminUrl) return { DATABASE_URL: "", PGLITE_DATA_DIR: `.data/bench-${Date.now()}` };
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${dbName}"`);
  await sql.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return { DATABASE_URL: url.toString() };
}

async function dropDatabase() {
  if (!adminUrl) return;
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${dbName}" with (force)`);
  await sql.end();
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not answer ${url}`);
}

async function api<T>(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(base + path, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Result = { name: string; rps: number; p50: number; p99: number; codes: Record<string, number> };

/** Registers `n` customers, a few at a time (each registration hashes a password), by the e-mail code flow. */
async function registerCustomers(n: number, prefix: string): Promise<string[]> {
  const staff = await staffToken(base);
  const register = () =>
    signUpByEmail(base, staff, { email: `${prefix}-${randomUUID()}@example.com`, password: "password-123", name: "压测" });
  const tokens: string[] = [];
  for (let k = 0; k < n; k += 8) {
    tokens.push(...(await Promise.all(Array.from({ length: Math.min(8, n - k) }, register))));
  }
  return tokens;
}

/** Peak resident memory (VmHWM) of the server process and its children, in MB. */
function peakRssMb(pid: number): number {
  const pids = [pid];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    if (children) pids.push(...children.split(/\s+/).map(Number));
  } catch {}
  let kb = 0;
  for (const p of pids) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      kb += Number(m?.[1] ?? 0);
    } catch {}
  }
  return Math.round(kb / 1024);
}

/**
 * 放号: a slot with 10 seats opened to `attempts` booking attempts from `customers` customers at
 * once. Counts the winners and how fast the losers were answered.
 */
async function hotRelease(
  staff: string,
  rules: object,
  week: object,
  tokens: string[],
): Promise<{ result: Result; winners: number; seatsBooked: number; fiveXx: number }> {
  const attempts = Number(process.env.BENCH_RELEASE_ATTEMPTS ?? 5000);
  const { service } = await api<{ service: { id: string } }>("/api/v1/staff/services", {
    token: staff,
    body: {
      name: "bench-release",
      kind: "class",
      durationMin: 5,
      capacity: 10,
      rules,
      schedule: { weeklyHours: week, slotIntervalMin: 1440, windowDays: 5 },
    },
  });
  await api(`/api/v1/staff/services/${service.id}/timeslots/generate`, { token: staff, body: {} });
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const slot = (await api<{ slots: { id: string }[] }>(`/api/v1/services/${service.id}/availability?from=${day}&to=${day}`)).slots[0]!.id;
  let n = 0;
  const result = await load(`放号: 10 seats, ${attempts} attempts from ${tokens.length} customers`, "/api/v1/bookings", {
    amount: attempts,
    connections: Math.max(connections, 64),
    requests: [
      {
        method: "POST",
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          headers: { "content-type": "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
          body: JSON.stringify({ timeslotId: slot }),
        }),
      },
    ],
  });
  const after = (
    await api<{ slots: { id: string; remaining: number; capacity: number }[] }>(
      `/api/v1/services/${service.id}/availability?from=${day}&to=${day}`,
    )
  ).slots.find((s) => s.id === slot)!;
  const fiveXx = Object.entries(result.codes)
    .filter(([k]) => k.startsWith("5"))
    .reduce((a, [, v]) => a + v, 0);
  return { result, winners: result.codes["201"] ?? 0, seatsBooked: after.capacity - after.remaining, fiveXx };
}

/** Pending payments for many bookings, then each one's genuine paid notice twice (valid + duplicate). */
async function notifyLoad(token: string, staff: string, rules: object, week: object): Promise<Result> {
  const n = Number(process.env.BENCH_PAYMENTS ?? 300);
  const { service } = await api<{ service: { id: string } }>("/api/v1/staff/services", {
    token: staff,
    body: {
      name: "bench-paid",
      kind: "class",
      durationMin: 5,
      capacity: 10_000,
      priceFen: 8800,
      rules: { ...rules, payment: { mode: "full" } },
      schedule: { weeklyHours: week, slotIntervalMin: 1440, windowDays: 5 },
    },
  });
  await api(`/api/v1/staff/services/${service.id}/timeslots/generate`, { token: staff, body: {} });
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const slot = (await api<{ slots: { id: string }[] }>(`/api/v1/services/${service.id}/availability?from=${day}&to=${day}`)).slots[0]!.id;
  const keys = sandboxKeys(SANDBOX_DATA_DIR);
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const { booking } = await api<{ booking: { id: string } }>("/api/v1/bookings", { token, body: { timeslotId: slot } });
    const { payment } = await api<{ payment: { outTradeNo: string; amountFen: number } }>(`/api/v1/bookings/${booking.id}/pay`, {
      token,
      body: { provider: "alipay", channel: "qr" },
    });
    const now = new Date();
    const order = {
      gateway: "alipay" as const,
      outTradeNo: payment.outTradeNo,
      tradeNo: `2026${Date.now()}${i}`,
      amountFen: payment.amountFen,
      subject: "bench",
      product: "FACE_TO_FACE_PAYMENT",
      status: "paid" as const,
      paidAt: now,
      createdAt: now,
    };
    bodies.push(alipayTradeNotify(keys, order as Parameters<typeof alipayTradeNotify>[1], "", now).body);
  }
  let j = 0;
  const headers = { "content-type": "application/x-www-form-urlencoded" };
  return load(`POST /api/payments/alipay/notify, ${n} payments × 2 (50% duplicates)`, "/api/payments/alipay/notify", {
    amount: n * 2,
    requests: [{ method: "POST", headers, setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[Math.floor(j++ / 2) % n] }) }],
  });
}

async function load(name: string, path: string, opts: Partial<autocannon.Options> = {}): Promise<Result> {
  const r = await autocannon({ duration, connections, ...opts, url: base + path });
  const codes: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.statusCodeStats ?? {})) codes[k] = (v as { count: number }).count;
  return { name, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, codes };
}

const env = await createDatabase();
let server: ChildProcess | undefined;
try {
  await run("npx", ["tsx", "--conditions=react-server", "scripts/seed.ts"], { ...env, SEED_DEMO_ACCOUNTS: "1" });
  // Node directly (not npx), so killing it stops the server and frees the port.
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  server = spawn(process.execPath, [...profile, "node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    // One load generator on one address plays thousands of customers: the per-address limits are scaled up.
    env: { ...process.env, ...env, NODE_ENV: "production", SANDBOX_GATEWAY_ENABLED: "1", APP_URL: base, RATE_LIMIT_FACTOR: "1000" },
    stdio: "ignore",
  });
  await waitFor(`${base}/api/health`);
  const staff = (await api<{ token: string }>("/api/v1/auth/token", { body: { email: "staff@yuyue.demo", password: "demo1234" } })).token;
  // Many customers, as in real traffic (one customer's growing history would dominate the rule checks).
  const tokens = await registerCustomers(50, "bench");
  const token = tokens[0]!;
  const unlimited = { minNoticeMin: 0, maxActiveBookingsPerCustomer: null, maxBookingsPerCustomerPerDay: null };
  const allDay = { start: "00:00", end: "24:00" };
  const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [allDay]]));
  const mk = async (name: string, capacity: number, interval: number, windowDays = 10) => {
    const { service } = await api<{ service: { id: string } }>("/api/v1/staff/services", {
      token: staff,
      body: {
        name,
        kind: "class",
        durationMin: 5,
        capacity,
        rules: unlimited,
        schedule: { weeklyHours: week, slotIntervalMin: interval, windowDays },
      },
    });
    await api(`/api/v1/staff/services/${service.id}/timeslots/generate`, { token: staff, body: {} });
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await api<{ slots: { id: string }[] }>(`/api/v1/services/${service.id}/availability?from=${day}&to=${day}`);
    return { id: service.id, slots };
  };
  const hot = (await mk("bench-hot", 10_000, 1440)).slots[0]!.id;
  const spread = (await mk("bench-spread", 1000, 5)).slots.map((s) => s.id);
  // Hourly slots for 31 days: a month of availability is ~744 slots.
  const monthService = (await mk("bench-month", 8, 60, 31)).id;
  const monthPath = `/api/v1/services/${monthService}/availability?from=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}`;
  await api(monthPath);
  const headersFor = (n: number) => ({ "content-type": "application/json", authorization: `Bearer ${tokens[n % tokens.length]}` });
  let i = 0;
  let h = 0;
  const results = [
    await load("GET /api/ping (trivial)", "/api/ping"),
    await load("GET /api/v1/services", "/api/v1/services"),
    await load("GET availability, one service, 30 days (cached)", monthPath),
    await load("POST /api/v1/bookings, one hot slot", "/api/v1/bookings", {
      requests: [
        {
          method: "POST",
          setupRequest: (req: autocannon.Request) => ({ ...req, headers: headersFor(h++), body: JSON.stringify({ timeslotId: hot }) }),
        },
      ],
    }),
    await load(`POST /api/v1/bookings, ${spread.length} slots`, "/api/v1/bookings", {
      requests: [
        {
          method: "POST",
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            headers: headersFor(h++),
            body: JSON.stringify({ timeslotId: spread[i++ % spread.length] }),
          }),
        },
      ],
    }),
  ];
  results.push(await notifyLoad(token, staff, unlimited, week));
  const releaseCustomers = await registerCustomers(Number(process.env.BENCH_RELEASE_CUSTOMERS ?? 500) - tokens.length, "bench-release");
  const release = await hotRelease(staff, unlimited, week, [...tokens, ...releaseCustomers]);
  results.push(release.result);
  const ping = results[0]!.rps;
  console.log(
    `\n${adminUrl ? "PostgreSQL" : "PGlite"}, ${process.env.REDIS_URL ? "Redis" : "in-memory cache"}, ${connections} connections, ${duration}s each\n`,
  );
  console.table(
    results.map((r) => ({
      scenario: r.name,
      "req/s": r.rps,
      "× ping": (r.rps / ping).toFixed(2),
      "p50 ms": r.p50,
      "p99 ms": r.p99,
      statuses: JSON.stringify(r.codes),
    })),
  );
  console.log(`放号: ${release.winners} bookings won, ${release.seatsBooked} of 10 seats booked, ${release.fiveXx} answers 5xx`);
  console.log(`server peak RSS: ${server.pid ? peakRssMb(server.pid) : "?"} MB`);
} finally {
  server?.kill("SIGTERM");
  await dropDatabase();
}

// One `npm run bench` measures both deployments: after PostgreSQL + Redis, the embedded default
// (PGlite + in-process cache) in a fresh process, once the server above has freed the port.
if (adminUrl && !process.env.BENCH_EMBEDDED_DONE) {
  await new Promise((r) => setTimeout(r, 2000));
  await run(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    DATABASE_URL: "",
    REDIS_URL: "",
    DATABASE_REPLICA_URLS: "",
    BENCH_EMBEDDED_DONE: "1",
  });
}
