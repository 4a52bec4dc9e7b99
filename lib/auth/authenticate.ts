import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { normaliseIdentifier } from "./identifier";
import { hashPassword, verifyPassword } from "./password";
import { phoneIs } from "@/lib/pii";

// Compared against when the account does not exist, so timing does not reveal which accounts exist.
const decoyHash = hashPassword("decoy-password-for-timing");

/** Email (case-insensitive) or mainland mobile number plus password; throws INVALID_CREDENTIALS. */
export async function authenticate(identifier: string, password: string): Promise<User> {
  const id = normaliseIdentifier(identifier);
  const where = id.kind === "phone" ? phoneIs(id.value) : eq(users.email, id.value);
  const [user] = await getDb().select().from(users).where(where).limit(1);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
  if (!user || !user.passwordHash || !ok) {
    throw new AppError("INVALID_CREDENTIALS", "wrongCredentials");
  }
  return user;
}
