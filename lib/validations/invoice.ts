import { z } from "zod";

/** 统一社会信用代码 (18) or an older tax registration number (15-20), letters upper-cased. */
const taxNo = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[0-9A-Z]{15,20}$/));

export const invoiceRequestSchema = z
  .object({
    kind: z.enum(["personal", "company"]),
    title: z.string().trim().min(1).max(100),
    taxNo: z.preprocess((v) => (v === "" || v === null ? undefined : v), taxNo.optional()),
    email: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.email().max(200).optional()),
  })
  .refine((v) => v.kind !== "company" || v.taxNo, { path: ["taxNo"], message: "required for a company invoice" });
export type InvoiceRequestInput = z.infer<typeof invoiceRequestSchema>;

export const markInvoiceIssuedSchema = z.object({ invoiceId: z.uuid(), invoiceNo: z.string().trim().min(1).max(40) });
