"use server";

import { AuthError } from "next-auth";
import { getTranslations } from "next-intl/server";
import { signIn } from "@/lib/auth";
import { actionError, fieldErrors, type ActionResult } from "@/lib/actions";
import { isDbUnavailable } from "@/lib/errors";
import { credentialsSchema } from "@/lib/validations/auth";

const safeRedirect = (v: FormDataEntryValue | null) => {
  const s = typeof v === "string" ? v : "";
  return s.startsWith("/") && !s.startsWith("//") ? s : "/me";
};

export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const t = await getTranslations();
  const parsed = credentialsSchema.safeParse({
    identifier: formData.get("identifier"),
    password: formData.get("password"),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirect(formData.get("callbackUrl")) });
    return { ok: true };
  } catch (e) {
    // A database outage inside authorize() arrives wrapped in an AuthError: not a wrong password.
    if (e instanceof AuthError && !isDbUnavailable(e)) return { ok: false, message: t("auth.wrongCredentials") };
    return actionError(e, t("errors.generic"));
  }
}
