import type { Limit } from "@/lib/rate-limit";

/** A code lives 5 minutes; a number gets one a minute, five an hour, ten a day; five wrong tries burn it. */
export const OTP_TTL_SEC = 300;
/** A mailed code lives 10 minutes: mail can take a while to arrive. The other limits are the SMS ones. */
export const EMAIL_CODE_TTL_SEC = 600;
export const OTP_RESEND_AFTER_SEC = 60;
export const OTP_MAX_PER_HOUR = 5;
export const OTP_MAX_PER_DAY = 10;
export const OTP_MAX_TRIES = 5;

/**
 * Per-address limits on the cache counters (lib/rate-limit.ts). The per-number limits above are
 * counted from the code rows under a per-number lock instead (lib/auth/otp.ts), because they must
 * hold exactly even for parallel requests; these slow down one address spraying many numbers.
 */
export function otpRequestLimits(ip: string): Limit[] {
  return [
    { bucket: "otp-send-ip-h", key: ip, max: 20, windowSeconds: 3600 },
    { bucket: "otp-send-ip-d", key: ip, max: 100, windowSeconds: 86_400 },
  ];
}

/** Wrong codes from one address across all numbers (each code also burns after 5 on its own). */
export function otpVerifyLimits(ip: string): Limit[] {
  return [{ bucket: "otp-verify-ip", key: ip, max: 30, windowSeconds: 3600 }];
}
