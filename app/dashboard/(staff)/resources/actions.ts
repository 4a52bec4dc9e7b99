"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { saveResource } from "@/lib/dashboard/save-resource";
import { resourceFormSchema } from "@/lib/validations/dashboard";

export async function saveResourceAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(resourceFormSchema, { ...Object.fromEntries(fd), active: fd.get("active") });
    const resource = await saveResource(input, user.id);
    revalidatePath("/dashboard/resources");
    return { ok: true, message: (await getTranslations("dash.resources"))("saved", { name: resource.name }) };
  });
}
