"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const ITEMS = [
  "overview",
  "schedule",
  "calendar",
  "bookings",
  "inbox",
  "services",
  "conflicts",
  "resources",
  "rules",
  "payments",
  "passes",
  "messages",
  "customers",
  "audit",
  "settings",
] as const;
type Item = (typeof ITEMS)[number];

const href = (item: Item) => (item === "overview" ? "/dashboard" : `/dashboard/${item}`);

/** Tabs that scroll sideways on a phone and wrap on a desk; settings only for admins. */
export function DashboardNav({ isAdmin }: { isAdmin: boolean }) {
  const t = useTranslations("dash.nav");
  const path = usePathname();
  const items = ITEMS.filter((i) => i !== "settings" || isAdmin);
  return (
    <nav aria-label={t("label")} className="-mx-4 overflow-x-auto border-b border-stone-200 px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 pb-px sm:min-w-0 sm:flex-wrap">
        {items.map((item) => {
          const active = item === "overview" ? path === "/dashboard" : path.startsWith(href(item));
          return (
            <li key={item}>
              <Link
                href={href(item)}
                // No prefetch: each prefetch passes the auth proxy, which re-issues the session cookie, and one
                // landing after a sign-out would sign the user back in.
                prefetch={false}
                data-testid={`dash-nav-${item}`}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap rounded-t-lg px-3 py-2 text-sm ${active ? "border-b-2 border-brand-600 font-semibold text-brand-700" : "text-stone-600 hover:text-brand-600"}`}
              >
                {t(item)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
