import { confirmOffline } from "@/lib/dashboard/booking-commands";
import { transitionRoute } from "@/lib/dashboard/staff-api";

/** pending_payment → confirmed without a gateway payment; `reason` is required. */
export const POST = transitionRoute(({ reason, ...rest }) => confirmOffline({ ...rest, reason: reason ?? "" }));
