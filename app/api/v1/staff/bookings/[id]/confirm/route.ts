import { confirmOffline } from "@/lib/booking/staff-commands";
import { transitionRoute } from "@/lib/api/transition-route";

/** pending_payment → confirmed without a gateway payment; `reason` is required. */
export const POST = transitionRoute(({ reason, ...rest }) => confirmOffline({ ...rest, reason: reason ?? "" }));
