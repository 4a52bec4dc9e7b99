"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { countsOf } from "@/lib/booking/reconcile-slots";
import { createService } from "@/lib/services/create-service";
import { saveSchedule } from "@/lib/services/save-schedule";
import { updateService } from "@/lib/services/update-service";
import { generateSlotsByStaff, setSlotStatus } from "@/lib/booking/slot-commands";
import {
  generateFormSchema,
  rowIdSchema,
  scheduleFormFromData,
  scheduleFormSchema,
  serviceFormFromData,
  slotStatusSchema,
} from "@/lib/validations/dashboard";
import { createServiceSchema, updateServiceSchema } from "@/lib/validations/service";

const refresh = (serviceId?: string) => {
  revalidatePath("/dashboard/services");
  if (serviceId) revalidatePath(`/dashboard/services/${serviceId}`);
  revalidatePath("/dashboard/calendar");
  revalidatePath("/dashboard/conflicts");
};

export async function saveServiceAction(_prev: DashResult<{ id: string }> | null, fd: FormData): Promise<DashResult<{ id: string }>> {
  return runStaffAction(async (user) => {
    const { id } = parseInput(rowIdSchema, { id: fd.get("id") });
    const form = serviceFormFromData(fd);
    // A new service or changes to one, through the same use cases (and schemas) as the REST API.
    const service = id
      ? await updateService(id, parseInput(updateServiceSchema, form), user.id)
      : await createService(parseInput(createServiceSchema, form), user.id);
    refresh(service.id);
    const t = await getTranslations("dash.services");
    return { ok: true, message: t(id ? "saved" : "created", { name: service.name }), data: { id: service.id } };
  });
}

export async function saveScheduleAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { serviceId, ...schedule } = parseInput(scheduleFormSchema, scheduleFormFromData(fd));
    const reconciled = await saveSchedule(serviceId, schedule, user.id);
    refresh(serviceId);
    return { ok: true, message: (await getTranslations("dash.services"))("scheduleSaved", countsOf(reconciled)) };
  });
}

export async function generateSlotsAction(_prev: DashResult | null, fd: FormData): Promise<DashResult<{ created: number }>> {
  return runStaffAction(async (user) => {
    const input = parseInput(generateFormSchema, Object.fromEntries(fd));
    const result = await generateSlotsByStaff(input, user.id);
    refresh(input.serviceId);
    return { ok: true, message: (await getTranslations("dash.services"))("generated", result), data: { created: result.created } };
  });
}

export async function setSlotStatusAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(slotStatusSchema, { slotIds: fd.getAll("slotIds"), status: fd.get("status") });
    const changed = await setSlotStatus(input, user.id);
    refresh(typeof fd.get("serviceId") === "string" ? String(fd.get("serviceId")) : undefined);
    return {
      ok: true,
      message: (await getTranslations("dash.services"))(input.status === "closed" ? "slotsClosed" : "slotsReopened", { count: changed }),
    };
  });
}
