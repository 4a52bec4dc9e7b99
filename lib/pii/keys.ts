import { createHash, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env, envFlag, isEmbeddedDb } from "@/lib/env";

/**
 * Where the personal-data keys come from (README "Personal data"):
 * - `PII_KEYS="kid1:base64key,kid0:base64key"`: AES-256 keys (32 bytes each) by key id; the first
 *   encrypts, every listed one decrypts. Rotation: put a new key first, keep the old ones, run
 *   `npm run pii:rotate`, then drop the old ones.
 * - `PII_HMAC_KEY`: the keyed-hash key (base64, at least 32 bytes) behind exact lookups by phone.
 * Without them, outside production (the embedded demo, development, tests, the e2e server that
 * seeds demo accounts), a random key pair is made once and kept in `.data/pii-keys` beside
 * `.data/auth-secret`. A production server on PostgreSQL without them refuses to start.
 */
export type Keyring = { activeKid: string; keys: Map<string, Buffer>; hmacKey: Buffer; source: "env" | "local" };

const kidPattern = /^[A-Za-z0-9_-]{1,32}$/;

export class PiiKeyError extends Error {}

export function parseKeyList(value: string): { activeKid: string; keys: Map<string, Buffer> } {
  const keys = new Map<string, Buffer>();
  let activeKid: string | undefined;
  for (const part of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf(":");
    const kid = at > 0 ? part.slice(0, at) : "";
    const key = Buffer.from(part.slice(at + 1), "base64");
    if (!kidPattern.test(kid)) throw new PiiKeyError(`PII_KEYS: "${kid}" is not a key id (letters, digits, _ or -)`);
    if (key.length !== 32) throw new PiiKeyError(`PII_KEYS: key "${kid}" must be 32 bytes of base64 (has ${key.length})`);
    if (keys.has(kid)) throw new PiiKeyError(`PII_KEYS: key id "${kid}" is listed twice`);
    keys.set(kid, key);
    activeKid ??= kid;
  }
  if (!activeKid) throw new PiiKeyError("PII_KEYS lists no key");
  return { activeKid, keys };
}

function parseHmacKey(value: string): Buffer {
  const key = Buffer.from(value, "base64");
  if (key.length < 32) throw new PiiKeyError(`PII_HMAC_KEY must be at least 32 bytes of base64 (has ${key.length})`);
  return key;
}

/** A production server on its own PostgreSQL must bring its keys: a generated one would be lost with the machine. */
export function localKeysAllowed(): boolean {
  return env.NODE_ENV !== "production" || isEmbeddedDb() || envFlag(env.SEED_DEMO_ACCOUNTS);
}

type StoredKeys = { kid: string; key: string; hmac: string };

/** `.data/pii-keys`, created once (by a link, so two processes starting together keep one key). */
function localKeys(): StoredKeys {
  const file = path.join(process.cwd(), ".data", "pii-keys");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StoredKeys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const stored: StoredKeys = {
    kid: `local${createHash("sha256").update(randomBytes(8)).digest("hex").slice(0, 6)}`,
    key: randomBytes(32).toString("base64"),
    hmac: randomBytes(32).toString("base64"),
  };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    unlinkSync(tmp);
  }
  return JSON.parse(readFileSync(file, "utf8")) as StoredKeys;
}

export function loadKeyring(): Keyring {
  if (env.PII_KEYS || env.PII_HMAC_KEY) {
    if (!env.PII_KEYS || !env.PII_HMAC_KEY) throw new PiiKeyError("PII_KEYS and PII_HMAC_KEY are set together");
    return { ...parseKeyList(env.PII_KEYS), hmacKey: parseHmacKey(env.PII_HMAC_KEY), source: "env" };
  }
  if (!localKeysAllowed()) {
    throw new PiiKeyError("PII_KEYS and PII_HMAC_KEY are required in production (personal data is encrypted with them)");
  }
  const stored = localKeys();
  return { ...parseKeyList(`${stored.kid}:${stored.key}`), hmacKey: parseHmacKey(stored.hmac), source: "local" };
}

const globalForKeys = globalThis as unknown as { yuyuePiiKeyring?: Keyring };

/** The process's keyring, read on first use. */
export function keyring(): Keyring {
  globalForKeys.yuyuePiiKeyring ??= loadKeyring();
  return globalForKeys.yuyuePiiKeyring;
}

/** Tests and `pii:rotate` swap the keyring (a rotation in one process); undefined reads the environment again. */
export function setKeyring(next: Keyring | undefined): void {
  globalForKeys.yuyuePiiKeyring = next;
}
