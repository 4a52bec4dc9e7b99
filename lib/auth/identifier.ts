import { normalizePhone } from "@/lib/validations/phone";

export type Identifier = { kind: "phone"; value: string } | { kind: "email"; value: string };

/**
 * One spelling per account: "+86 138-0000-0001", "8613800000001" and "13800000001" are the same
 * phone, emails compare lower-cased. Lookups and rate-limit keys both use this.
 */
export function normaliseIdentifier(raw: string): Identifier {
  const id = raw.trim();
  // The one phone normaliser (also used wherever numbers are stored and texted).
  const phone = normalizePhone(id);
  if (phone) return { kind: "phone", value: phone };
  return { kind: "email", value: id.toLowerCase() };
}

export const identifierKey = (i: Identifier) => `${i.kind}:${i.value}`;
