import { cancelByStaff } from "@/lib/dashboard/booking-commands";
import { transitionRoute } from "@/lib/dashboard/staff-api";

/** Staff cancellation: answers { booking, refundFen, percent, refundExecuted } (refund per the policy tiers). */
export const POST = transitionRoute(({ reason, ...rest }) => cancelByStaff({ ...rest, reason: reason ?? "cancelled by staff" }));
