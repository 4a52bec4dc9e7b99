import { cancelByStaff } from "@/lib/dashboard/booking-commands";
import { transitionRoute } from "@/lib/dashboard/staff-api";

/** Staff cancellation: answers { booking, refundFen, percent, refundExecuted } (the business cancels: businessCancelRefundPercent of what is left, 100 by default). */
export const POST = transitionRoute(({ reason, ...rest }) => cancelByStaff({ ...rest, reason: reason ?? "cancelled by staff" }));
