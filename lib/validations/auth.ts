import { z } from "zod";
import { otpCode } from "@/lib/validations/otp";
import { phoneField } from "@/lib/validations/phone";
import { consentField } from "@/lib/validations/consent";

const email = z
  .email("emailInvalid")
  .max(254)
  .transform((v) => v.toLowerCase());
const phone = phoneField;
export const password = z.string().min(8, "passwordTooShort").max(128, "passwordTooLong");

/** Empty form inputs arrive as "": treat them as absent. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const registerSchema = z
  .object({
    email: z.preprocess(blankToUndefined, email.optional()),
    phone: z.preprocess(blankToUndefined, phone.optional()),
    name: z.string().trim().min(1, "personNameRequired").max(60),
    password,
    locale: z.enum(["zh-CN", "en"]).optional(),
    /** Accepts the privacy policy in force (recorded with its version and time); the sign-up page requires it. */
    privacyConsent: consentField.optional(),
  })
  .refine((v) => v.email !== undefined || v.phone !== undefined, {
    message: "emailOrPhone",
    path: ["email"],
  });
export type RegisterInput = z.infer<typeof registerSchema>;

/**
 * POST /api/v1/auth/register: as the sign-up page, every contact is proved by a code. A phone number
 * comes with `code`, the SMS code sent to it; an e-mail address is asked for first without
 * `emailCode` (202: a code is mailed to it) and then again with the mailed code.
 */
export const registerApiSchema = z
  .intersection(
    registerSchema,
    z.object({
      code: z.preprocess(blankToUndefined, otpCode.optional()),
      emailCode: z.preprocess(blankToUndefined, otpCode.optional()),
    }),
  )
  .superRefine((v, ctx) => {
    if (v.phone !== undefined && v.code === undefined)
      ctx.addIssue({ code: "custom", message: "otpCodeRequiredWithPhone", path: ["code"] });
  });

/** Sign in by email or phone: `identifier` (UI) or `email`/`phone` (API). */
export const credentialsSchema = z
  .object({
    identifier: z.preprocess(blankToUndefined, z.string().trim().max(254).optional()),
    email: z.preprocess(blankToUndefined, email.optional()),
    phone: z.preprocess(blankToUndefined, phone.optional()),
    password: z.string().min(1, "passwordRequired").max(128),
  })
  .transform((v, ctx) => {
    const identifier = v.email ?? v.phone ?? v.identifier;
    if (!identifier) {
      ctx.addIssue({ code: "custom", message: "identifierRequired", path: ["email"] });
      return z.NEVER;
    }
    return { identifier, password: v.password };
  });
export type CredentialsInput = z.infer<typeof credentialsSchema>;

/** Admins change an account's role. */
export const roleChangeSchema = z.object({ role: z.enum(["customer", "staff", "admin"]) });

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, "passwordRequired").max(128),
  newPassword: password,
});
