"use server";

import { headers } from "next/headers";
import { signIn } from "@/lib/auth";
import { registerUser } from "@/lib/auth/register-user";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import type { AppError } from "@/lib/errors";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";

// The form shows field messages beside their inputs, not again on top.
const fieldsOnly = (e: AppError) => (e.code === "VALIDATION_FAILED" ? { message: undefined } : undefined);

export async function signUpAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction({ auth: "none", onError: fieldsOnly }, async (_user, locale) => {
    const input = parseInput(registerSchema, {
      name: formData.get("name"),
      email: formData.get("email"),
      phone: formData.get("phone"),
      password: formData.get("password"),
      locale,
    });
    await consumeLimits(registrationLimits(clientIp(await headers())));
    await registerUser(input);
    await signIn("credentials", { identifier: input.email ?? input.phone, password: input.password, redirectTo: "/me" });
    return { ok: true };
  });
}
