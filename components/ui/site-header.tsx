import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { auth } from "@/lib/auth";
import { isStaff } from "@/lib/auth/roles";
import { InboxLink } from "@/components/notifications/inbox-link";

/** The header on every page; the sign-out and language-switch server actions are passed in by the root layout. */
export async function SiteHeader({
  signOutAction,
  switchLocale,
}: {
  signOutAction: () => Promise<void>;
  switchLocale: (formData: FormData) => Promise<void>;
}) {
  const [session, t, locale] = await Promise.all([auth(), getTranslations("nav"), getLocale()]);
  const user = session?.user;
  return (
    <header className="sticky top-0 z-10 border-b border-stone-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3 text-sm">
        <Link href="/" className="text-lg font-bold text-brand-600">
          预约 <span className="font-normal text-stone-500">Yuyue</span>
        </Link>
        <nav className="ml-auto flex flex-wrap items-center gap-3">
          <Link href="/services" className="hover:text-brand-600">
            {t("services")}
          </Link>
          {user && (
            <Link href="/me" className="hover:text-brand-600" data-testid="nav-me">
              {t("myBookings")}
            </Link>
          )}
          {user && <InboxLink userId={user.id} />}
          {user && isStaff(user.role) && (
            <Link href="/dashboard" className="hover:text-brand-600">
              {t("dashboard")}
            </Link>
          )}
          {user ? (
            <form action={signOutAction}>
              <button type="submit" className="text-stone-500 hover:text-brand-600">
                {t("signOut")}
              </button>
            </form>
          ) : (
            <>
              <Link href="/signin" className="hover:text-brand-600">
                {t("signIn")}
              </Link>
              <Link href="/signup" className="rounded-full bg-brand-600 px-3 py-1 text-white hover:bg-brand-700">
                {t("signUp")}
              </Link>
            </>
          )}
          <form action={switchLocale}>
            <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
            <button type="submit" className="rounded border border-stone-300 px-2 py-0.5 text-xs" data-testid="switch-locale">
              {t("language")}
            </button>
          </form>
        </nav>
      </div>
    </header>
  );
}
