import { z } from "zod";

/** A mainland China mobile number as stored: 11 digits, no country code. */
export const mainlandMobile = /^1[3-9]\d{9}$/;

/**
 * The one phone normaliser: every place that stores or looks up a number goes through it, so
 * "+86 138-0000-0001", "0086 13800000001", "(86)13800000001" and "13800000001" are one number.
 * Returns null for anything that is not a mainland mobile number.
 */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s\-().]/g, "");
  const national = compact.replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, "");
  return mainlandMobile.test(national) ? national : null;
}

/** Catalogue key (errors.phoneInvalid) of the validation message. */
export const PHONE_MESSAGE = "phoneInvalid";

/** Zod field for a phone input: normalised, or a readable validation error. */
export const phoneField = z
  .string()
  .max(40, PHONE_MESSAGE)
  .transform((v, ctx) => {
    const phone = normalizePhone(v);
    if (phone === null) {
      ctx.addIssue({ code: "custom", message: PHONE_MESSAGE });
      return z.NEVER;
    }
    return phone;
  });

/** "138****0001": a number shown to someone who may not own it. */
export const maskPhone = (phone: string) => (phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone);
