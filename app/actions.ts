"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { localeCookie, toLocale } from "@/lib/i18n/config";
import { getDb } from "@/db/client";
import { formValue } from "@/lib/actions";
import { auth, signOut } from "@/lib/auth";
import { saveLocale } from "@/lib/notifications/preferences";

/** The site's language; a signed-in user's account language (their messages, their settings) follows. */
export async function switchLocale(formData: FormData) {
  const locale = toLocale(String(formValue(formData, "locale") ?? ""));
  (await cookies()).set(localeCookie, locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
  const session = await auth();
  if (session?.user?.id) await saveLocale(getDb(), session.user.id, locale);
  revalidatePath("/", "layout");
}

export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
