import { z } from "zod";

/** The shape of a service's custom form fields (checked when staff save a service; answers are checked by lib/booking/fields). */
export const FIELD_TYPES = ["text", "textarea", "number", "phone", "email", "select", "multiselect", "checkbox", "date"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const localizedSchema = z.strictObject({ "zh-CN": z.string().trim().min(1), en: z.string().trim().min(1) });
const compiles = (p: string) => {
  try {
    new RegExp(p, "u");
    return true;
  } catch {
    return false;
  }
};

/**
 * One custom form field of a service. min/max bound the length of text and textarea, the value of
 * number and the count of multiselect. A required checkbox must be ticked (consent). Extra keys
 * (placeholder, help…) pass through for the form to use.
 */
export const fieldDefinitionSchema = z
  .looseObject({
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: "key must start with a letter and use letters, digits or _ (max 64)" }),
    type: z.enum(FIELD_TYPES),
    label: localizedSchema,
    required: z.boolean().default(false),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    pattern: z.string().refine(compiles, { error: "pattern is not a valid regular expression" }).optional(),
    options: z.array(z.strictObject({ value: z.string().min(1), label: localizedSchema })).optional(),
  })
  .superRefine((f, ctx) => {
    const fail = (message: string, path: string) => ctx.addIssue({ code: "custom", message, path: [path] });
    const bounded = ["text", "textarea", "number", "multiselect"].includes(f.type);
    if ((f.min !== undefined || f.max !== undefined) && !bounded) fail(`min/max do not apply to ${f.type} fields`, "min");
    if (bounded && f.type !== "number" && [f.min, f.max].some((n) => n !== undefined && (!Number.isInteger(n) || n < 0))) {
      fail("min/max must be non-negative integers for lengths and counts", "min");
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) fail("min must not exceed max", "max");
    if (f.pattern !== undefined && f.type !== "text" && f.type !== "textarea") fail("pattern applies to text and textarea only", "pattern");
    const choice = f.type === "select" || f.type === "multiselect";
    const values = (f.options ?? []).map((o) => o.value);
    if (choice && values.length === 0) fail(`${f.type} fields need at least one option`, "options");
    if (!choice && f.options !== undefined) fail(`options apply to select and multiselect only`, "options");
    if (new Set(values).size !== values.length) fail("option values must be unique", "options");
  });
export type FieldDefinition = z.output<typeof fieldDefinitionSchema>;

export const fieldDefinitionsSchema = z
  .array(fieldDefinitionSchema)
  .max(50)
  .refine((defs) => new Set(defs.map((d) => d.key)).size === defs.length, { error: "field keys must be unique" });
