import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { decryptPii, encryptPii, keyIdOf, phoneHash } from "./cipher";
import { loadKeyring, parseKeyList, setKeyring } from "./keys";

const saved = { ...env };
afterEach(() => {
  Object.assign(env, saved);
  setKeyring(undefined);
});
const b64 = () => randomBytes(32).toString("base64");

describe("PII keys", () => {
  it("PII_KEYS lists keys by id, the first one encrypts; bad lists are refused", () => {
    const list = parseKeyList(`k2:${b64()}, k1:${b64()}`);
    expect(list.activeKid).toBe("k2");
    expect([...list.keys.keys()]).toEqual(["k2", "k1"]);
    expect(() => parseKeyList(`k1:${randomBytes(16).toString("base64")}`)).toThrow(/32 bytes/);
    expect(() => parseKeyList(`k1:${b64()},k1:${b64()}`)).toThrow(/twice/);
    expect(() => parseKeyList(`bad id:${b64()}`)).toThrow(/key id/);
    expect(() => parseKeyList("")).toThrow(/no key/);
  });

  it("a production server on PostgreSQL without keys refuses; the demo and tests get local keys", () => {
    Object.assign(env, {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db/prod",
      SEED_DEMO_ACCOUNTS: undefined,
      PII_KEYS: undefined,
      PII_HMAC_KEY: undefined,
    });
    expect(() => loadKeyring()).toThrow(/PII_KEYS and PII_HMAC_KEY are required in production/);
    Object.assign(env, { SEED_DEMO_ACCOUNTS: "1" });
    expect(loadKeyring().source).toBe("local");
    Object.assign(env, { SEED_DEMO_ACCOUNTS: undefined, DATABASE_URL: undefined });
    expect(loadKeyring().source).toBe("local");
    Object.assign(env, { DATABASE_URL: "postgres://db/prod", PII_KEYS: `p1:${b64()}`, PII_HMAC_KEY: undefined });
    expect(() => loadKeyring()).toThrow(/together/);
    Object.assign(env, { PII_HMAC_KEY: b64() });
    expect(loadKeyring()).toMatchObject({ activeKid: "p1", source: "env" });
  });

  it("ciphertext carries its key id, is tamper-evident, and the hash is keyed", () => {
    const a = parseKeyList(`a1:${b64()}`);
    setKeyring({ ...a, hmacKey: randomBytes(32), source: "env" });
    const sealed = encryptPii("13800000001");
    expect(keyIdOf(sealed)).toBe("a1");
    expect(encryptPii("13800000001")).not.toBe(sealed);
    expect(decryptPii(sealed)).toBe("13800000001");
    const at = sealed.length - 12;
    const flipped = sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1);
    expect(() => decryptPii(flipped)).toThrow();
    const h1 = phoneHash("13800000001");
    expect(phoneHash("+86 138 0000 0001")).toBe(h1);
    setKeyring({ ...a, hmacKey: randomBytes(32), source: "env" });
    expect(phoneHash("13800000001")).not.toBe(h1);
  });
});
