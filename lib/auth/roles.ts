import { AppError } from "@/lib/errors";
import type { Role } from "./config";

export const isStaff = (role: Role) => role === "staff" || role === "admin";

/** The one staff check of domain commands, server actions and handlers: a customer (or anyone else) gets FORBIDDEN. */
export function requireStaff(actor: { role: Role }): void {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN", "staffOnly");
}
