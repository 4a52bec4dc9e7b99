import { cancelByStaff } from "@/lib/booking/staff-commands";
import { transitionRoute } from "@/lib/api/transition-route";

/** Staff cancellation: answers { booking, refundFen, percent, refundExecuted } (the business cancels: businessCancelRefundPercent of what is left, 100 by default). */
export const POST = transitionRoute(({ reason, ...rest }) => cancelByStaff({ ...rest, reason: reason ?? "cancelled by staff" }));
