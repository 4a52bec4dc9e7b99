import { markNoShow } from "@/lib/booking/staff-transitions";
import { transitionRoute } from "@/lib/api/transition-route";

export const POST = transitionRoute((input) => markNoShow(input));
