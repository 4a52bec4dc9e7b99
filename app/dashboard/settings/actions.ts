"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { addHoliday, removeHoliday } from "@/lib/business/holidays";
import { setUserRole, updateBusinessSettings } from "@/lib/business/settings";
import { businessSettingsSchema, staffRoleSchema } from "@/lib/validations/dashboard";
import { holidayDateSchema, holidaySchema } from "@/lib/validations/schedule";

/** Admin only: runStaffAction({ admin: true }) answers 403 to staff and customers alike. */
export async function updateBusinessAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const input = parseInput(businessSettingsSchema, { ...Object.fromEntries(fd), locales: fd.getAll("locales") });
      await updateBusinessSettings(input, user.id);
      revalidatePath("/", "layout");
      return { ok: true, message: (await getTranslations("dash.settings"))("saved") };
    },
    { admin: true },
  );
}

export async function setRoleAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const input = parseInput(staffRoleSchema, Object.fromEntries(fd));
      const account = await setUserRole(input, user.id);
      revalidatePath("/dashboard/settings");
      return { ok: true, message: (await getTranslations("dash.settings"))("roleSet", { name: account.name, role: account.role }) };
    },
    { admin: true },
  );
}

/** A business-wide holiday added or lifted: every service's slots that day follow (lib/booking/reconcile-slots). */
export async function addHolidayAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const input = parseInput(holidaySchema, Object.fromEntries(fd));
      const { reconciled } = await addHoliday(input, user.id);
      revalidatePath("/dashboard", "layout");
      return { ok: true, message: (await getTranslations("dash.holidays"))("added", { date: input.date, ...reconciled }) };
    },
    { admin: true },
  );
}

export async function removeHolidayAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const { date } = parseInput(holidayDateSchema, Object.fromEntries(fd));
      const { reconciled } = await removeHoliday(date, user.id);
      revalidatePath("/dashboard", "layout");
      return { ok: true, message: (await getTranslations("dash.holidays"))("removed", { date, ...reconciled }) };
    },
    { admin: true },
  );
}
