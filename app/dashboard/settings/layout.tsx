import { requirePageUser } from "@/lib/auth/session";

/**
 * Admin only. The check sits in this layout, outside the loading boundary below it, so a staff member
 * gets a real 403 status before anything streams.
 */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser("/dashboard/settings", ["admin"]);
  return children;
}
