import "server-only";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getCache, warnCacheError, type Cache } from "@/lib/cache";
import { RateLimiterCacheStore } from "@/lib/cache/rate-limiter-store";
import { env } from "@/lib/env";
import { AppError, isAppError, type ErrorCode } from "@/lib/errors";

export { clientIp } from "@/lib/client-ip";

/**
 * Rate limits on rate-limiter-flexible: its memory store on the in-process cache, else its store
 * logic over the cache's EVAL (Redis over TCP and Upstash REST alike), with a memory limiter as
 * insurance while the cache is down (each node then limits on its own). RATE_LIMIT_FACTOR scales
 * every `max` (load tests and browser suites drive many users from one address).
 */
export type Limit = { bucket: string; key: string; max: number; windowSeconds: number };

const limiters = new WeakMap<Cache, Map<string, RateLimiterAbstract>>();

function limiterFor(l: Pick<Limit, "bucket" | "max" | "windowSeconds">): RateLimiterAbstract {
  const cache = getCache();
  let byShape = limiters.get(cache);
  if (!byShape) limiters.set(cache, (byShape = new Map()));
  const id = `${l.bucket}:${l.max}:${l.windowSeconds}`;
  let limiter = byShape.get(id);
  if (!limiter) {
    const opts = { keyPrefix: `rl:${l.bucket}`, points: Math.max(1, Math.round(l.max * env.RATE_LIMIT_FACTOR)), duration: l.windowSeconds };
    const memory = new RateLimiterMemory(opts);
    limiter = cache.kind === "memory" ? memory : new RateLimiterCacheStore(cache, { ...opts, insuranceLimiter: memory });
    byShape.set(id, limiter);
  }
  return limiter;
}

export const retryAfterSeconds = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));

export function rateLimited(msBeforeNext: number): AppError {
  return new AppError("RATE_LIMITED", "rateLimited", {
    retryAfterSeconds: retryAfterSeconds(msBeforeNext),
  });
}

/** Throws RATE_LIMITED when any of the limits already counted `max` in its window (counts nothing). */
export async function assertUnderLimits(limits: Limit[]): Promise<void> {
  for (const l of limits) {
    const limiter = limiterFor(l);
    const res = await limiter.get(l.key).catch((err: unknown) => {
      warnCacheError("rate-limit get", l.bucket, err);
      return null;
    });
    if (res && res.consumedPoints >= limiter.points) throw rateLimited(res.msBeforeNext);
  }
}

/** Counts one failure (a wrong password, a wrong code) against each limit. */
export async function countFailure(limits: Limit[]): Promise<void> {
  for (const l of limits)
    await limiterFor(l)
      .penalty(l.key, 1)
      .catch((err: unknown) => warnCacheError("rate-limit penalty", l.bucket, err));
}

/** Counts this request against each limit; throws RATE_LIMITED (with the longest wait) when one is over. */
export async function consumeLimits(limits: Limit[]): Promise<void> {
  let waitMs = 0;
  for (const l of limits) {
    try {
      await limiterFor(l).consume(l.key, 1);
    } catch (rej) {
      if (rej instanceof RateLimiterRes) waitMs = Math.max(waitMs, rej.msBeforeNext, 1);
      else warnCacheError("rate-limit consume", l.bucket, rej);
    }
  }
  if (waitMs > 0) throw rateLimited(waitMs);
}

/** Forgets the counts (a successful sign-in clears its failures). */
export async function resetLimits(limits: Limit[]): Promise<void> {
  for (const l of limits)
    await limiterFor(l)
      .delete(l.key)
      .catch((err: unknown) => warnCacheError("rate-limit delete", l.bucket, err));
}

/*
 * The limits, and why. Per-address limits are generous: many customers in China share one carrier
 * NAT address, so an address limit only stops bulk abuse; per-account limits do the fine work.
 */
const MINUTE = 60;
const HOUR = 3600;

/** Registration: 10 accounts an hour from one address (throwaway accounts for seat holding, 占座). */
export const registrationLimits = (ip: string): Limit[] => [{ bucket: "register-ip", key: ip, max: 10, windowSeconds: HOUR }];

/**
 * Booking attempts: 20 a minute per customer, 120 a minute per address; new holds: 30 an hour per
 * address (seats held by many throwaway accounts from one place, 占座).
 */
export const bookingAttemptLimits = (customerId: string, ip: string): Limit[] => [
  { bucket: "booking-customer", key: customerId, max: 20, windowSeconds: MINUTE },
  { bucket: "booking-ip", key: ip, max: 120, windowSeconds: MINUTE },
];
export const bookingHoldLimits = (ip: string): Limit[] => [{ bucket: "booking-hold-ip", key: ip, max: 30, windowSeconds: HOUR }];

/** Payment attempts: each opens a gateway order, so 10 per booking in 10 minutes. */
export const paymentAttemptLimits = (bookingId: string): Limit[] => [
  { bucket: "pay-booking", key: bookingId, max: 10, windowSeconds: 10 * MINUTE },
];

/** Check-in code guesses (wrong codes): 20 per staff member and 50 per address in 10 minutes. */
export const checkInGuessLimits = (staffId: string, ip: string): Limit[] => [
  { bucket: "checkin-staff", key: staffId, max: 20, windowSeconds: 10 * MINUTE },
  { bucket: "checkin-ip", key: ip, max: 50, windowSeconds: 10 * MINUTE },
];

/** Gateway notify endpoints: notices that fail verification, 30 per address in 10 minutes. */
export const notifyFailureLimits = (gateway: string, ip: string): Limit[] => [
  { bucket: `notify-${gateway}-ip`, key: ip, max: 30, windowSeconds: 10 * MINUTE },
];

/**
 * Calendar feeds: calendars poll every few minutes to hours; 30 an hour per feed (keyed by the
 * token's hash, never the token) stops a leaked address from being hammered.
 */
export const calendarFeedLimits = (tokenHash: string): Limit[] => [
  { bucket: "calendar-feed", key: tokenHash, max: 30, windowSeconds: HOUR },
];

/** Public availability (a month of slots is expensive to evaluate): 120 a minute per address. */
export const availabilityLimits = (ip: string): Limit[] => [{ bucket: "availability-ip", key: ip, max: 120, windowSeconds: MINUTE }];

/** OTP requests for the SMS sign-in: per phone a minute apart, 10 a day; 30 an hour per address. */
export const otpRequestLimits = (phone: string, ip: string): Limit[] => [
  { bucket: "otp-phone-min", key: phone, max: 1, windowSeconds: MINUTE },
  { bucket: "otp-phone-day", key: phone, max: 10, windowSeconds: 24 * HOUR },
  { bucket: "otp-ip", key: ip, max: 30, windowSeconds: HOUR },
];

/**
 * Password guessing. No account-wide lock (anyone could lock anyone out): failures count per
 * (account, address), the first 5 free, then each further one blocks that pair for a doubling
 * delay (1 s, 2 s, 4 s … capped at 15 minutes), so a guesser gets a few dozen tries a day while
 * the owner, from their own address, is never locked. One address also gets at most 100 failures
 * over all accounts in 15 minutes. `account` is the normalised identifier (lib/auth/identifier.ts).
 */
const LOGIN_FREE_FAILURES = 5;
const LOGIN_MAX_DELAY_S = 15 * MINUTE;
const loginPairKey = (account: string, ip: string) => `${account}|${ip}`;
const loginFailures = { bucket: "login-pair", max: 1_000_000, windowSeconds: 24 * HOUR };
const loginBlock = { bucket: "login-pair-block", max: 1, windowSeconds: 1 };
const loginAddressLimit = (ip: string): Limit => ({ bucket: "login-ip", key: ip, max: 100, windowSeconds: 15 * MINUTE });

/** Seconds the pair waits after its `failures`-th failure (0 while within the free ones). */
export function loginDelaySeconds(failures: number): number {
  if (failures <= LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_S, 2 ** (failures - LOGIN_FREE_FAILURES - 1));
}

export async function assertLoginAllowed(account: string, ip: string): Promise<void> {
  const blocked = await limiterFor(loginBlock)
    .get(loginPairKey(account, ip))
    .catch(() => null);
  if (blocked && blocked.consumedPoints > 1 && blocked.msBeforeNext > 0) throw rateLimited(blocked.msBeforeNext);
  await assertUnderLimits([loginAddressLimit(ip)]);
}

export async function recordLoginFailure(account: string, ip: string): Promise<void> {
  const key = loginPairKey(account, ip);
  await countFailure([loginAddressLimit(ip)]);
  try {
    const res = await limiterFor(loginFailures).penalty(key, 1);
    const delay = loginDelaySeconds(res.consumedPoints);
    if (delay > 0) await limiterFor(loginBlock).block(key, delay);
  } catch (err) {
    warnCacheError("rate-limit login", "login-pair", err);
  }
}

export async function recordLoginSuccess(account: string, ip: string): Promise<void> {
  await resetLimits([{ ...loginFailures, key: loginPairKey(account, ip) }]);
}

/** Runs `fn` behind failure limits: refused while over; one failure counted when it throws one of `codes`. */
export async function limitFailures<T>(limits: Limit[], codes: ErrorCode[], fn: () => Promise<T>): Promise<T> {
  await assertUnderLimits(limits);
  try {
    return await fn();
  } catch (e) {
    if (isAppError(e) && codes.includes(e.code)) await countFailure(limits);
    throw e;
  }
}

/** A booking attempt (REST and the booking form alike): attempts counted first, each new hold after it. */
export async function limitBooking<T>(customerId: string, ip: string, book: () => Promise<T>): Promise<T> {
  await consumeLimits(bookingAttemptLimits(customerId, ip));
  await assertUnderLimits(bookingHoldLimits(ip));
  const booking = await book();
  await countFailure(bookingHoldLimits(ip));
  return booking;
}
