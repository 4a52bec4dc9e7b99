import Pay from "wechatpay-node-v3";
import { headerValue, withinWindow } from "./wechat-wire";

/**
 * Checks the Wechatpay-* headers of a notify or an API response against the raw body.
 * The signature itself is checked by the SDK's `verifySign`, whose platform-key lookup is a
 * static `certificates[serial]` map that downloads certificates from the internet on a miss.
 * We fill that entry ourselves and refuse any other serial first, so it never goes online.
 */
export type Verdict = "ok" | "malformed" | "stale_timestamp" | "bad_signature";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

interface PlatformKey {
  serial: string;
  publicKeyPem: string;
}

function certificateMap(): Record<string, string> {
  // `certificates` is `protected static` in the typings and reassigned by the SDK's fetcher,
  // so it is looked up afresh each time rather than cached.
  return (Pay as unknown as { certificates: Record<string, string> }).certificates;
}

export function createWechatVerifier(pay: Pay, platform: PlatformKey) {
  certificateMap()[platform.serial] = platform.publicKeyPem;

  return async function verify(headers: HeaderBag, body: string, now: Date): Promise<Verdict> {
    const timestamp = headerValue(headers, "wechatpay-timestamp");
    const nonce = headerValue(headers, "wechatpay-nonce");
    const signature = headerValue(headers, "wechatpay-signature");
    const serial = headerValue(headers, "wechatpay-serial");
    if (!timestamp || !nonce || !signature || !serial) return "malformed";
    // Checked by us: the SDK verifies the signature but never the age of the message.
    if (!withinWindow(timestamp, now)) return "stale_timestamp";
    if (serial !== platform.serial) return "bad_signature";
    // The map is process-wide: re-assert our entry (read synchronously by verifySign before
    // its first await) in case another configuration shares the serial.
    certificateMap()[platform.serial] = platform.publicKeyPem;
    try {
      const ok = await pay.verifySign({ timestamp, nonce, body, serial, signature });
      return ok ? "ok" : "bad_signature";
    } catch {
      return "bad_signature";
    }
  };
}

export type WechatVerifier = ReturnType<typeof createWechatVerifier>;
