import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/roles";

/** Where a sign-in without a place to return to lands: staff at the desk (/dashboard), customers at their bookings. */
export default async function LandingPage() {
  const user = await requirePageUser("/landing");
  redirect(isStaff(user.role) ? "/dashboard" : "/me");
}
