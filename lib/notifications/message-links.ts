import type { BookingStatus } from "@/db/schema";

export type MessageLink = { kind: "offer" | "pay" | "view" | "reschedule" | "manage"; href: string };

/**
 * What a message lets its reader do next, from its type and the booking as it stands now: pay a
 * hold still open, view the booking (a moved one's page leads to the live booking), reschedule a
 * confirmed one; staff copies open the booking in the dashboard. A waitlist offer's own page
 * (`offer`, the message's link: accept a free seat, or pay the one held) comes first.
 */
export function messageLinks(
  type: string,
  bookingId: string | null,
  status: BookingStatus | null,
  offer: string | null = null,
): MessageLink[] {
  const first: MessageLink[] = offer && !offer.startsWith(`/bookings/${bookingId}`) ? [{ kind: "offer", href: offer }] : [];
  if (!bookingId) return first;
  if (type.startsWith("staff_")) return [{ kind: "manage", href: `/dashboard/bookings/${bookingId}` }];
  const links: MessageLink[] = first;
  if (status === "pending_payment") links.push({ kind: "pay", href: `/bookings/${bookingId}/pay` });
  links.push({ kind: "view", href: `/bookings/${bookingId}` });
  if (status === "confirmed") links.push({ kind: "reschedule", href: `/bookings/${bookingId}/reschedule` });
  return links;
}
