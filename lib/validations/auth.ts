import { z } from "zod";
import { phoneField } from "@/lib/phone";

const email = z
  .email("请输入有效的邮箱 / Enter a valid email")
  .max(254)
  .transform((v) => v.toLowerCase());
const phone = phoneField;
export const password = z
  .string()
  .min(8, "密码至少 8 位 / Password must be at least 8 characters")
  .max(128, "密码最多 128 位 / Password must be at most 128 characters");

/** Empty form inputs arrive as "": treat them as absent. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const registerSchema = z
  .object({
    email: z.preprocess(blankToUndefined, email.optional()),
    phone: z.preprocess(blankToUndefined, phone.optional()),
    name: z.string().trim().min(1, "请填写姓名 / Name is required").max(60),
    password,
    locale: z.enum(["zh-CN", "en"]).optional(),
  })
  .refine((v) => v.email !== undefined || v.phone !== undefined, {
    message: "邮箱或手机号至少填一个 / Give an email or a phone number",
    path: ["email"],
  });
export type RegisterInput = z.infer<typeof registerSchema>;

/** Sign in by email or phone: `identifier` (UI) or `email`/`phone` (API). */
export const credentialsSchema = z
  .object({
    identifier: z.preprocess(blankToUndefined, z.string().trim().max(254).optional()),
    email: z.preprocess(blankToUndefined, email.optional()),
    phone: z.preprocess(blankToUndefined, phone.optional()),
    password: z.string().min(1, "请输入密码 / Password is required").max(128),
  })
  .transform((v, ctx) => {
    const identifier = v.email ?? v.phone ?? v.identifier;
    if (!identifier) {
      ctx.addIssue({ code: "custom", message: "请输入邮箱或手机号 / Enter your email or phone", path: ["email"] });
      return z.NEVER;
    }
    return { identifier, password: v.password };
  });
export type CredentialsInput = z.infer<typeof credentialsSchema>;
