import { forgiveNoShow } from "@/lib/booking/no-show";
import { transitionRoute } from "@/lib/api/transition-route";

export const POST = transitionRoute((input) => forgiveNoShow(input));
