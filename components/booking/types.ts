import type { AvailableSlot } from "@/lib/booking/availability";
import type { FieldDefinition } from "@/lib/booking/fields";

export type Slot = AvailableSlot;
export type { FieldDefinition };
export { FIELD_PREFIX, type BookingFormState, type LoadSlots, type SlotsResult } from "@/lib/site/types";
