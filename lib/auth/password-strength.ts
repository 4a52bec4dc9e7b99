import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import { AppError } from "@/lib/errors";

/**
 * zxcvbn's score 0–4: 2 means about a million guesses or more. Sign-in is throttled per account and
 * address (lib/rate-limit.ts), so an online attacker gets a few dozen tries an hour; what 2 refuses
 * is the common-password list and its variants (password-1, qwerty123, 12345678, 88888888).
 */
export const MIN_PASSWORD_SCORE = 2;
/** zxcvbn's time grows with length; what it has not seen in the first 100 characters only adds strength. */
const CHECKED_LENGTH = 100;

const COMMON_WARNINGS = new Set(["topTen", "topHundred", "common", "similarToCommon"]);

let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () => (estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

/** The pieces of an account that must not carry its password: a name, an e-mail's local part, a phone number. */
function personalParts(personal: (string | null | undefined)[]): string[] {
  return personal
    .flatMap((p) => (p ? [p, p.split("@")[0] ?? ""] : []))
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length >= 4);
}

/**
 * Refuses a new password that is on the common-password list, too easy to guess, or built from the
 * account's own name, e-mail or phone; VALIDATION_FAILED with the message on `field`.
 */
export function assertStrongPassword(password: string, personal: (string | null | undefined)[] = [], field = "password"): void {
  const refuse = (key: string) => {
    throw new AppError("VALIDATION_FAILED", key, { fieldErrors: { [field]: [key] } }, { field });
  };
  const parts = personalParts(personal);
  const lower = password.toLowerCase();
  if (parts.some((p) => lower.includes(p))) refuse("passwordPersonal");
  const result = zxcvbn().check(password.slice(0, CHECKED_LENGTH), parts);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  refuse(result.feedback.warning && COMMON_WARNINGS.has(result.feedback.warning) ? "passwordCommon" : "passwordWeak");
}
