import { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeIssues } from "./policy";
import { fieldDefinitionsSchema, type FieldDefinition } from "@/lib/validations/fields";

export type { FieldDefinition };

import type { Locale } from "@/lib/i18n/config";

/** Validates a service's stored field definitions; throws VALIDATION_FAILED naming the bad field. */
export function parseFieldDefinitions(input: unknown): FieldDefinition[] {
  const parsed = fieldDefinitionsSchema.safeParse(input ?? []);
  if (parsed.success) return parsed.data;
  throw new AppError("VALIDATION_FAILED", `Invalid form fields: ${describeIssues(parsed.error)}`, parsed.error.issues);
}

const PHONE_RE = /^1[3-9]\d{9}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isDate = (s: string) => {
  const m = DATE_RE.exec(s);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().startsWith(s);
};
const blankToUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() : v);
const TRUE = new Set<unknown>([true, "on", "true", "1", 1]);
const FALSE = new Set<unknown>([false, "off", "false", "0", "", 0, undefined, null]);

function fieldSchema(f: FieldDefinition, locale: Locale): z.ZodType {
  const label = f.label[locale];
  const t = (zh: string, en: string) => (locale === "en" ? en : zh);
  const required = t(`请填写“${label}”`, `${label} is required`);
  const invalid = (zh: string, en: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? required : t(zh, en)) });
  const opt = (s: z.ZodType) => z.preprocess((v) => blankToUndefined(trimmed(v)), f.required ? s : s.optional());
  switch (f.type) {
    case "text":
    case "textarea": {
      let s = z.string(invalid(`“${label}”无效`, `${label} is invalid`));
      if (f.min !== undefined) s = s.min(f.min, t(`“${label}”至少 ${f.min} 个字符`, `${label} must be at least ${f.min} characters`));
      if (f.max !== undefined) s = s.max(f.max, t(`“${label}”最多 ${f.max} 个字符`, `${label} must be at most ${f.max} characters`));
      if (f.pattern !== undefined)
        s = s.regex(new RegExp(f.pattern, "u"), t(`“${label}”格式不正确`, `${label} is not in the expected format`));
      return opt(s);
    }
    case "number": {
      let s = z.number(invalid(`“${label}”必须是数字`, `${label} must be a number`));
      if (f.min !== undefined) s = s.min(f.min, t(`“${label}”不能小于 ${f.min}`, `${label} must be at least ${f.min}`));
      if (f.max !== undefined) s = s.max(f.max, t(`“${label}”不能大于 ${f.max}`, `${label} must be at most ${f.max}`));
      const toNumber = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v.trim()) : blankToUndefined(v));
      return z.preprocess(toNumber, f.required ? s : s.optional());
    }
    case "phone": {
      const s = z
        .string(invalid(`“${label}”无效`, `${label} is invalid`))
        .regex(PHONE_RE, t(`“${label}”必须是有效的手机号码`, `${label} must be a valid mainland China mobile number`));
      const normalize = (v: unknown) => (typeof v === "string" ? v.replace(/[\s-]/g, "").replace(/^(?:\+86|0086)/, "") : v);
      return z.preprocess((v) => blankToUndefined(normalize(v)), f.required ? s : s.optional());
    }
    case "email":
      return opt(z.email(invalid(`“${label}”必须是有效的邮箱地址`, `${label} must be a valid email address`)));
    case "date":
      return opt(
        z
          .string(invalid(`“${label}”无效`, `${label} is invalid`))
          .refine(isDate, t(`“${label}”日期格式应为 YYYY-MM-DD`, `${label} must be a date (YYYY-MM-DD)`)),
      );
    case "select": {
      const values = (f.options ?? []).map((o) => o.value);
      const s = z
        .string(invalid(`请选择“${label}”`, `Choose ${label}`))
        .refine((v) => values.includes(v), t(`“${label}”的选项无效`, `${label}: choose one of the listed options`));
      return opt(s);
    }
    case "multiselect": {
      const values = (f.options ?? []).map((o) => o.value);
      const least = f.min ?? 0;
      let s = z.array(
        z.string().refine((v) => values.includes(v), t(`“${label}”包含无效选项`, `${label} contains an option that is not listed`)),
        invalid(`“${label}”无效`, `${label} is invalid`),
      );
      if (f.max !== undefined) s = s.max(f.max, t(`“${label}”最多选择 ${f.max} 项`, `${label}: choose at most ${f.max}`));
      // An optional multiselect may stay empty; min counts only once something is chosen.
      const counted = s
        .refine((a) => a.length > 0 || !f.required, t(`请选择“${label}”`, `Choose ${label}`))
        .refine((a) => a.length === 0 || a.length >= least, t(`“${label}”至少选择 ${least} 项`, `${label}: choose at least ${least}`));
      const toArray = (v: unknown) => {
        const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
        return [...new Set(list.filter((x) => x !== ""))];
      };
      return z.preprocess(toArray, counted);
    }
    case "checkbox": {
      const toBool = (v: unknown) => (TRUE.has(trimmed(v)) ? true : FALSE.has(trimmed(v)) ? false : v);
      const s = z.boolean(invalid(`“${label}”无效`, `${label} is invalid`));
      return z.preprocess(toBool, f.required ? s.refine((v) => v, t(`请勾选“${label}”`, `${label} must be checked`)) : s);
    }
  }
}

export type Answers = Record<string, string | number | boolean | string[] | undefined>;

/**
 * A zod schema for a booking's answers to `definitions` (raw or parsed; validated here). Unknown
 * keys are stripped; blank optional answers become undefined; numbers and checkboxes accept
 * FormData strings ("12", "on", "true"); a multiselect is always an array, a checkbox always a
 * boolean. Messages name the field's label in `locale`.
 */
export function buildAnswersSchema(definitions: unknown, locale: Locale = "zh-CN"): z.ZodType<Answers> {
  const shape: Record<string, z.ZodType> = {};
  for (const def of parseFieldDefinitions(definitions)) shape[def.key] = fieldSchema(def, locale);
  return z.object(shape) as unknown as z.ZodType<Answers>;
}

/** Answers as buildAnswersSchema expects them from a submitted form (`getAll` for multiselects). */
export function answersFromFormData(form: FormData, definitions: readonly FieldDefinition[], prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of definitions) {
    const name = `${prefix}${def.key}`;
    const values = form.getAll(name).filter((v): v is string => typeof v === "string");
    out[def.key] = def.type === "multiselect" ? values : values[0];
  }
  return out;
}
