import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { certificateMatchesKey, certificateSerial, KeyConfigError, loadKey } from "./keys";
import { selfSignedCertificate } from "./sandbox/cert";

const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs8 = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1 = pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const spki = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
const body = (pem: string) =>
  pem
    .split("\n")
    .filter((l) => l && !l.startsWith("-----"))
    .join("");
const dir = mkdtempSync(path.join(tmpdir(), "yuyue-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadKey", () => {
  it("accepts PEM text, escaped newlines, a file path and bare base64, always returning PKCS#8/SPKI PEM", () => {
    const file = path.join(dir, "app.pem");
    writeFileSync(file, pkcs1);
    for (const value of [pkcs8, pkcs1, pkcs8.replace(/\n/g, "\\n"), file, body(pkcs8), body(pkcs1)]) {
      expect(loadKey(value, "private")).toBe(pkcs8);
    }
    for (const value of [spki, body(spki), pkcs8]) expect(loadKey(value, "public")).toBe(spki);
  });

  it("fails at load time without echoing the value", () => {
    const secret = "not-a-key-but-maybe-a-secret";
    expect(() => loadKey(secret, "private", "ALIPAY_PRIVATE_KEY")).toThrow(KeyConfigError);
    try {
      loadKey(secret, "private", "ALIPAY_PRIVATE_KEY");
    } catch (e) {
      expect((e as Error).message).toContain("ALIPAY_PRIVATE_KEY");
      expect((e as Error).message).not.toContain(secret);
    }
    expect(() => loadKey(spki, "private")).toThrow(KeyConfigError);
    expect(() => loadKey(path.join(dir, "missing.pem"), "public")).toThrow(KeyConfigError);
  });

  it("reads the self-signed merchant certificate the sandbox issues", () => {
    const cert = selfSignedCertificate({ commonName: "Test", organization: "Yuyue", ...pair, now: new Date(), validDays: 30 });
    expect(loadKey(cert, "certificate")).toContain("BEGIN CERTIFICATE");
    expect(certificateSerial(cert)).toMatch(/^[0-9A-F]{40}$/);
    expect(certificateMatchesKey(cert, pkcs8)).toBe(true);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
    expect(certificateMatchesKey(cert, other.toString())).toBe(false);
  });
});
