import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The sandbox's WeChat applications (an official account for web OAuth and subscribe messages, a
 * mini-program for code2session): AppIDs and AppSecrets generated on first use and kept under the
 * sandbox gateway's data folder, read both by the gateway (which checks them like WeChat) and by
 * the app (which signs in with them). Nothing here is a real credential.
 */
export type SandboxWechatApps = {
  official: { appId: string; appSecret: string };
  mini: { appId: string; appSecret: string };
};

const FILE = "wechat-apps.json";
const loaded = new Map<string, SandboxWechatApps>();

const app = () => ({ appId: `wx${randomBytes(8).toString("hex")}`, appSecret: randomBytes(16).toString("hex") });

/** Written to a temporary file renamed into place: two processes starting at once share one set. */
export function sandboxWechatApps(dataDir: string): SandboxWechatApps {
  const file = path.resolve(dataDir, FILE);
  const known = loaded.get(file);
  if (known) return known;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    writeFileSync(tmp, JSON.stringify({ official: app(), mini: app() }, null, 2), { mode: 0o600 });
    try {
      if (existsSync(file)) rmSync(tmp);
      else renameSync(tmp, file);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
  const apps = JSON.parse(readFileSync(file, "utf8")) as SandboxWechatApps;
  loaded.set(file, apps);
  return apps;
}
