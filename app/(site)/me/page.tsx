import { getTranslations } from "next-intl/server";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "我的 Me" };

export default async function MePage() {
  const user = await requirePageUser("/me");
  const t = await getTranslations();
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-bold">{t("me.title")}</h1>
      <p data-testid="me-greeting">{t("me.hello", { name: user.name })}</p>
      <p className="text-sm text-stone-600" data-testid="me-role">{t("me.role", { role: t(`roles.${user.role}`) })}</p>
      <p className="text-stone-500">{t("me.bookingsSoon")}</p>
    </div>
  );
}
