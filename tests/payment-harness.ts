import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sandboxKeys, type SandboxKeys } from "@/lib/payments/sandbox/keys";
import { serveFetch, startSandboxServer, type FetchHandler, type RunningServer } from "./serve-fetch";
import type { SandboxGateway } from "@/lib/payments/sandbox/gateway";
import type { SandboxMerchantConfig } from "@/lib/payments/sandbox/keys";

/**
 * Test wiring only (imported by *.test.ts): a sandbox gateway on 127.0.0.1 with keys generated
 * into a temporary folder, and a notify receiver that records what the gateway sends.
 */
export interface ReceivedNotify {
  path: string;
  headers: Headers;
  rawBody: string;
}

export interface Harness {
  gateway: SandboxGateway;
  merchant: SandboxMerchantConfig;
  /** The sandbox's own keys, to forge messages "signed by the gateway" in tests. */
  keys: SandboxKeys;
  dataDir: string;
  sandboxOrigin: string;
  notifyUrl(pathname: string): string;
  received: ReceivedNotify[];
  /** The latest notify received on `pathname`; fails the test when none came. */
  last(pathname: string): ReceivedNotify;
  /** A server answering with `handler` (fake gateways for forged-response tests). */
  serve(handler: FetchHandler): Promise<RunningServer>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "yuyue-sandbox-"));
  const sandbox = await startSandboxServer({ dataDir, env: { NODE_ENV: "test" } });
  const received: ReceivedNotify[] = [];
  const receiver = await serveFetch(async (req) => {
    received.push({ path: new URL(req.url).pathname, headers: req.headers, rawBody: await req.text() });
    // What a merchant answers does not matter to the sandbox beyond being recorded.
    return new Response("success", { status: 200 });
  });
  const extra: RunningServer[] = [];
  return {
    gateway: sandbox.gateway,
    merchant: sandbox.gateway.merchantConfig,
    keys: sandboxKeys(dataDir),
    dataDir,
    sandboxOrigin: sandbox.origin,
    notifyUrl: (pathname) => `${receiver.origin}${pathname}`,
    received,
    last(pathname) {
      const hit = received.filter((r) => r.path === pathname).at(-1);
      if (!hit) throw new Error(`no notify received on ${pathname}`);
      return hit;
    },
    async serve(handler) {
      const s = await serveFetch(handler);
      extra.push(s);
      return s;
    },
    async close() {
      await Promise.all([sandbox.close(), receiver.close(), ...extra.map((s) => s.close())]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A key pair that belongs to nobody: "signed by another key" cases. */
export function strangerKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

let counter = 0;
/** A fresh out_trade_no per call (both gateways accept 6-32 chars of [0-9A-Za-z_-]). */
export function tradeNo(prefix = "T"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString().padStart(4, "0")}`;
}
