import { requireStaffPage } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  await requireStaffPage("/dashboard");
  return <div className="space-y-4">{children}</div>;
}
