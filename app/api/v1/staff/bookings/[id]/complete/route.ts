import { completeBooking } from "@/lib/booking/staff-transitions";
import { transitionRoute } from "@/lib/dashboard/staff-api";

export const POST = transitionRoute((input) => completeBooking(input));
