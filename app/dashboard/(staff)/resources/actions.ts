"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { saveResource } from "@/lib/resources/save-resource";
import { resourceFormFromData, rowIdSchema } from "@/lib/validations/dashboard";
import { resourceSchema } from "@/lib/validations/service";

export async function saveResourceAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { id } = parseInput(rowIdSchema, { id: fd.get("id") });
    const resource = await saveResource({ ...parseInput(resourceSchema, resourceFormFromData(fd)), id }, user.id);
    revalidatePath("/dashboard/resources");
    return { ok: true, message: (await getTranslations("dash.resources"))("saved", { name: resource.name }) };
  });
}
