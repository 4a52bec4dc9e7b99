"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { saveResource } from "@/lib/resources/save-resource";
import { saveStaffHours } from "@/lib/staff/save-staff-hours";
import { setServiceStaff } from "@/lib/staff/set-service-staff";
import { addTimeOff, removeTimeOff } from "@/lib/staff/time-off";
import { resourceFormFromData, staffHoursFormFromData } from "@/lib/validations/dashboard";
import { resourceSchema, serviceStaffSchema, staffHoursSchema, timeOffSchema } from "@/lib/validations/service";

const idSchema = z.object({ id: z.uuid() });

const refresh = (resourceId?: string, serviceId?: string) => {
  revalidatePath("/dashboard/resources");
  if (resourceId) revalidatePath(`/dashboard/resources/${resourceId}`);
  if (serviceId) revalidatePath(`/dashboard/services/${serviceId}`);
  revalidatePath("/dashboard/schedule");
};

/** A staff member's name, account, title and photo (admins). */
export async function saveStaffProfileAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const { id } = parseInput(idSchema, { id: fd.get("id") });
      const input = parseInput(resourceSchema, {
        ...resourceFormFromData(fd),
        title: fd.get("title") ?? undefined,
        photoUrl: fd.get("photoUrl") ?? undefined,
      });
      const saved = await saveResource({ ...input, id }, user.id);
      refresh(id);
      return { ok: true, message: (await getTranslations("dash.staff"))("saved", { name: saved.name }) };
    },
    { admin: true },
  );
}

/** A staff member's weekly hours, breaks and days off (admins). */
export async function saveStaffHoursAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const { id } = parseInput(idSchema, { id: fd.get("id") });
      const saved = await saveStaffHours(id, parseInput(staffHoursSchema, staffHoursFormFromData(fd)), user.id);
      refresh(id);
      return { ok: true, message: (await getTranslations("dash.staff"))("hoursSaved", { name: saved.name }) };
    },
    { admin: true },
  );
}

/** Leave or a sick day (admins): the staff member's times in it go; bookings already there are counted. */
export async function addTimeOffAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const { id } = parseInput(idSchema, { id: fd.get("id") });
      const input = parseInput(timeOffSchema, {
        startsAt: fd.get("startsAt"),
        endsAt: fd.get("endsAt"),
        kind: fd.get("kind") ?? undefined,
        note: fd.get("note") ?? undefined,
      });
      const { affectedBookingIds } = await addTimeOff(id, input, user.id);
      refresh(id);
      return { ok: true, message: (await getTranslations("dash.staff"))("timeOffAdded", { count: affectedBookingIds.length }) };
    },
    { admin: true },
  );
}

export async function removeTimeOffAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const input = parseInput(z.object({ id: z.uuid(), timeOffId: z.uuid() }), { id: fd.get("id"), timeOffId: fd.get("timeOffId") });
      await removeTimeOff(input.id, input.timeOffId, user.id);
      refresh(input.id);
      return { ok: true, message: (await getTranslations("dash.staff"))("timeOffRemoved") };
    },
    { admin: true },
  );
}

/** Who offers a service and the "any available" policy (admins). */
export async function saveServiceStaffAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const { id } = parseInput(idSchema, { id: fd.get("serviceId") });
      const chosen = fd.getAll("staff").map(String);
      const input = parseInput(serviceStaffSchema, {
        policy: fd.get("policy") ?? undefined,
        staff: chosen.map((resourceId) => ({ resourceId, weight: fd.get(`weight:${resourceId}`) ?? undefined })),
      });
      await setServiceStaff(id, input, user.id);
      refresh(undefined, id);
      return { ok: true, message: (await getTranslations("dash.staff"))("serviceStaffSaved", { count: input.staff.length }) };
    },
    { admin: true },
  );
}
