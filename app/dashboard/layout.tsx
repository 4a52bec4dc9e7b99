import { DashboardNav } from "@/components/dashboard/nav";
import { requireStaffPage } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Each page and action checks the role again: a layout guard alone protects nothing.
  const user = await requireStaffPage("/dashboard");
  return (
    <div className="space-y-5">
      <DashboardNav isAdmin={user.role === "admin"} />
      {children}
    </div>
  );
}
