import type { FieldDefinition } from "@/lib/booking/fields";

/** What the server page hands the calendar: plain data, dates as ISO strings. */
export type CalEvent =
  | {
      kind: "booking";
      id: string;
      title: string;
      start: string;
      end: string;
      status: string;
      code: string;
      customerName: string;
      customerPhone: string | null;
      serviceName: string;
      resourceName: string | null;
      seats: number;
      checkedIn: boolean;
    }
  | {
      kind: "slot";
      id: string;
      title: string;
      start: string;
      end: string;
      status: "open" | "closed";
      serviceId: string;
      serviceName: string;
      remaining: number;
      capacity: number;
    };

export type ServiceInfo = { id: string; name: string; capacity: number; fields: FieldDefinition[] };
