import type { FieldDefinition } from "@/lib/booking/fields";

/** One customer of a class block's roster. */
export type RosterEntry = { id: string; code: string; customerName: string; status: string; seats: number; checkedIn: boolean };

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
      resourceId: string | null;
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
      resourceId: string | null;
      remaining: number;
      capacity: number;
    }
  | {
      /** A slot of several seats with its bookings: one block with the roster, not one block per customer. */
      kind: "class";
      id: string;
      title: string;
      start: string;
      end: string;
      status: "open" | "closed";
      serviceId: string;
      serviceName: string;
      resourceId: string | null;
      resourceName: string | null;
      booked: number;
      remaining: number;
      capacity: number;
      roster: RosterEntry[];
    };

export type ServiceInfo = { id: string; name: string; capacity: number; fields: FieldDefinition[] };

/** A column of the by-resource day view. */
export type CalResource = { id: string; title: string };
