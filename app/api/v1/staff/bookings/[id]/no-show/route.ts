import { markNoShow } from "@/lib/booking/staff-transitions";
import { transitionRoute } from "@/lib/dashboard/staff-api";

export const POST = transitionRoute((input) => markNoShow(input));
