import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A private, throw-away PostgreSQL cluster for fault tests (restart it, stop it, kill it) without
 * touching the shared server. initdb in a temp directory, trust auth on 127.0.0.1 only, the given
 * port. Run as root (CI, the dev machines) the server tools run as the `postgres` user through
 * `runuser`, since PostgreSQL refuses to run as root; otherwise as the current user.
 */
export type PgCluster = {
  port: number;
  dir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url: (database?: string) => string;
  /** Asynchronous (the event loop keeps running: an in-process app keeps serving meanwhile). */
  start: () => Promise<void>;
  /** `pg_ctl stop` in the given mode (fast: disconnect clients, clean shutdown). */
  stop: (mode?: "smart" | "fast" | "immediate") => Promise<void>;
  restart: (mode?: "smart" | "fast" | "immediate") => Promise<void>;
  /** The server log so far, for a failing test's message. */
  log: () => string;
  /** Stops the server (immediate) and deletes its directory. Safe to call twice. */
  destroy: () => void;
};

function binDir(): string {
  return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
}

/** Whether this machine can host a private cluster (server tools installed). */
export function canCreatePgCluster(): boolean {
  try {
    return existsSync(path.join(binDir(), "initdb"));
  } catch {
    return false;
  }
}

export function createPgCluster(opts: { port: number; name?: string; settings?: Record<string, string | number> }): PgCluster {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), `yuyue-pg-${opts.name ?? opts.port}-`));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");

  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
  const failure = (tool: string, args: string[], why: string) => new Error(`${tool} ${args.join(" ")} failed: ${why}\n${readLog()}`);
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = command(tool, args);
    const r = spawnSync(cmd, argv, { encoding: "utf8", cwd: dir, timeout: 60_000 });
    if (r.status !== 0) throw failure(tool, args, `${r.status ?? r.signal}: ${r.stderr || r.stdout}`);
  };
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [cmd, argv] = command(tool, args);
      execFile(cmd, argv, { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(failure(tool, args, `${err.message}: ${stderr || stdout}`)) : resolve(),
      );
    });
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const settings: Record<string, string | number> = {
    port: opts.port,
    listen_addresses: "127.0.0.1",
    unix_socket_directories: dir,
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: 100,
    ...opts.settings,
  };
  const serverOptions = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  const ctlArgs = (action: string, extra: string[]) => ["-D", data, "-l", logFile, "-w", "-t", "60", ...extra, action];
  const ctl = (action: string, extra: string[] = []) => runAsync("pg_ctl", ctlArgs(action, extra));

  let destroyed = false;
  const cluster: PgCluster = {
    port: opts.port,
    dir,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${opts.port}/${database}`,
    start: () => ctl("start", ["-o", serverOptions]),
    stop: (mode = "fast") => ctl("stop", ["-m", mode]),
    restart: (mode = "fast") => ctl("restart", ["-m", mode, "-o", serverOptions]),
    log: readLog,
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      try {
        run("pg_ctl", ctlArgs("stop", ["-m", "immediate"]));
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
