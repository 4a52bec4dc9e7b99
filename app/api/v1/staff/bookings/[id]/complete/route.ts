import { completeBooking } from "@/lib/booking/staff-transitions";
import { transitionRoute } from "@/lib/api/transition-route";

export const POST = transitionRoute((input) => completeBooking(input));
