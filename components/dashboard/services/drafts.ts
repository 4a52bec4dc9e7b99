import type { Schedule, Service } from "@/db/schema";
import type { ScheduleDraft } from "./schedule-editor";
import type { ServiceDraft } from "./service-form";
import type { FieldDraft } from "./fields-editor";

/** A stored service as the editor's initial state (new services start from sensible defaults). */
export function serviceDraft(s?: Service): ServiceDraft {
  if (!s) {
    return {
      name: "",
      nameEn: null,
      description: "",
      descriptionEn: null,
      kind: "appointment",
      durationMin: 60,
      priceFen: 0,
      depositFen: 0,
      capacity: 1,
      bufferBeforeMin: 0,
      bufferAfterMin: 0,
      resourceId: null,
      reminderOffsetsMin: [1440, 60],
      active: true,
      rules: {},
      fields: [],
    };
  }
  return {
    id: s.id,
    name: s.name,
    nameEn: s.nameEn,
    description: s.description,
    descriptionEn: s.descriptionEn,
    kind: s.kind,
    durationMin: s.durationMin,
    priceFen: s.priceFen,
    depositFen: s.depositFen,
    capacity: s.capacity,
    bufferBeforeMin: s.bufferBeforeMin,
    bufferAfterMin: s.bufferAfterMin,
    resourceId: s.resourceId,
    reminderOffsetsMin: s.reminderOffsetsMin,
    active: s.active,
    rules: s.rules,
    fields: s.fields as FieldDraft[],
  };
}

export function scheduleDraft(s: Schedule | null): ScheduleDraft {
  return {
    weeklyHours: s?.weeklyHours ?? {},
    breaks: s?.breaks ?? {},
    dateOverrides: s?.dateOverrides ?? {},
    slotIntervalMin: s?.slotIntervalMin ?? 30,
    windowDays: s?.windowDays ?? 28,
  };
}
