"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { setUserRole, updateBusinessSettings } from "@/lib/dashboard/settings";
import { businessSettingsSchema, staffRoleSchema } from "@/lib/validations/dashboard";

/** Admin only: runStaffAction({ admin: true }) answers 403 to staff and customers alike. */
export async function updateBusinessAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(businessSettingsSchema, { ...Object.fromEntries(fd), locales: fd.getAll("locales") });
    await updateBusinessSettings(input, user.id);
    revalidatePath("/", "layout");
    return { ok: true, message: (await getTranslations("dash.settings"))("saved") };
  }, { admin: true });
}

export async function setRoleAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(staffRoleSchema, Object.fromEntries(fd));
    const account = await setUserRole(input, user.id);
    revalidatePath("/dashboard/settings");
    return { ok: true, message: (await getTranslations("dash.settings"))("roleSet", { name: account.name, role: account.role }) };
  }, { admin: true });
}
