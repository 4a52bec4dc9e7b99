import type { BookingStatus } from "@/db/schema";

export type MessageLink = { kind: "pay" | "view" | "reschedule" | "manage"; href: string };

/**
 * What a message lets its reader do next, from its type and the booking as it stands now: pay a
 * hold still open, view the booking (a moved one's page leads to the live booking), reschedule a
 * confirmed one; staff copies open the booking in the dashboard.
 */
export function messageLinks(type: string, bookingId: string | null, status: BookingStatus | null): MessageLink[] {
  if (!bookingId) return [];
  if (type.startsWith("staff_")) return [{ kind: "manage", href: `/dashboard/bookings/${bookingId}` }];
  const links: MessageLink[] = [];
  if (status === "pending_payment") links.push({ kind: "pay", href: `/bookings/${bookingId}/pay` });
  links.push({ kind: "view", href: `/bookings/${bookingId}` });
  if (status === "confirmed") links.push({ kind: "reschedule", href: `/bookings/${bookingId}/reschedule` });
  return links;
}
