"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { localeCookie, toLocale } from "@/lib/i18n/config";
import { formValue } from "@/lib/actions";
import { signOut } from "@/lib/auth";

export async function switchLocale(formData: FormData) {
  const locale = toLocale(String(formValue(formData, "locale") ?? ""));
  (await cookies()).set(localeCookie, locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  revalidatePath("/", "layout");
}

export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
