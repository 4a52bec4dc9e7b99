import { randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * A minimal self-signed X.509 certificate in DER, built by hand because node:crypto can parse
 * certificates but not issue them, and the sandbox must not depend on an `openssl` binary.
 * It stands in for the merchant's apiclient_cert.pem: WeChat Pay identifies the merchant key by
 * this certificate's serial, and wechatpay-node-v3 insists on being given one.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), length(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));

const OID_COMMON_NAME = Buffer.from("0603550403", "hex");
const OID_ORGANIZATION = Buffer.from("060355040a", "hex");
const SHA256_WITH_RSA = seq(Buffer.from("06092a864886f70d01010b", "hex"), Buffer.from("0500", "hex"));

function name(commonName: string, organization: string): Buffer {
  const rdn = (oid: Buffer, value: string) => set(seq(oid, tlv(0x0c, Buffer.from(value, "utf8"))));
  return seq(rdn(OID_ORGANIZATION, organization), rdn(OID_COMMON_NAME, commonName));
}

/** UTCTime: fine until 2049, far beyond any sandbox certificate's life. */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}

export interface SelfSignedOptions {
  commonName: string;
  organization: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  now: Date;
  validDays: number;
}

/** Returns the certificate as PEM. Its serial is 20 random bytes, 40 upper-case hex digits. */
export function selfSignedCertificate(o: SelfSignedOptions): string {
  const serial = randomBytes(20);
  // Positive and without a leading zero byte, so the printed serial is always 40 digits.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10;
  const notBefore = new Date(o.now.getTime() - 86_400_000);
  const notAfter = new Date(o.now.getTime() + o.validDays * 86_400_000);
  const subject = name(o.commonName, o.organization);
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // v3
    tlv(0x02, serial),
    SHA256_WITH_RSA,
    subject, // issuer = subject: self-signed
    seq(utcTime(notBefore), utcTime(notAfter)),
    subject,
    o.publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbs, o.privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
