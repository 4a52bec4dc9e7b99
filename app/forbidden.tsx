import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DashboardNav } from "@/components/dashboard/nav";
import { auth } from "@/lib/auth";
import { isStaff } from "@/lib/auth/roles";

/**
 * 403. Staff who reach an admin page stay in the dashboard: its navigation, what is missing (an
 * admin's role) and the way back; everyone else is told the page is for staff.
 */
export default async function Forbidden() {
  const [t, session] = await Promise.all([getTranslations("errors"), auth()]);
  const role = session?.user?.role;
  const staff = role !== undefined && isStaff(role);
  return (
    <div className="space-y-5">
      {staff && <DashboardNav isAdmin={role === "admin"} />}
      <div className="mx-auto max-w-md space-y-3 py-16 text-center" data-testid="forbidden">
        <h1 className="text-3xl font-bold">{t("forbiddenTitle")}</h1>
        <p className="text-stone-600">{staff ? t("forbiddenAdminBody") : t("forbiddenBody")}</p>
        <Link href={staff ? "/dashboard" : "/"} className="text-brand-600 underline">
          {staff ? t("backDashboard") : t("backHome")}
        </Link>
      </div>
    </div>
  );
}
