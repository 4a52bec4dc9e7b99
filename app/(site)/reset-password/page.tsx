import { getTranslations } from "next-intl/server";
import { PhoneCodeForm } from "@/components/auth/phone-code-form";
import { sendCodeAction } from "@/lib/notifications/code-actions";
import { resetPasswordAction } from "./actions";

export const metadata = { title: "重置密码 Reset password" };

export default async function ResetPasswordPage() {
  const t = await getTranslations("otp");
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">{t("resetTitle")}</h1>
      <PhoneCodeForm
        action={resetPasswordAction}
        sendCode={sendCodeAction}
        label={t("resetTitle")}
        submitLabel={t("submitReset")}
        passwordLabel={t("newPassword")}
      />
    </div>
  );
}
