import { z } from "zod";
import { consentField } from "@/lib/validations/consent";
import { otpCode } from "@/lib/validations/otp";

/** Empty form inputs arrive as "": treat them as absent. */
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** `DELETE /api/v1/me` and the settings page: the password, or the code texted to the account's number. */
export const deleteAccountSchema = z
  .object({
    password: z.preprocess(blank, z.string().min(1).max(128).optional()),
    code: z.preprocess(blank, otpCode.optional()),
  })
  .refine((v) => v.password !== undefined || v.code !== undefined, { message: "deleteReauthRequired", path: ["password"] });
export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;

export { consentField };

/** A form where accepting the privacy policy is required (sign-up, a guest's first booking). */
export const requiredConsentSchema = z.object({ privacyConsent: consentField.refine((v) => v, "privacyConsentRequired") });
