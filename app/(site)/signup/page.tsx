import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { sendCodeAction } from "@/lib/notifications/code-actions";
import { signUpAction } from "./actions";

export const metadata = { title: "注册 Sign up" };

export default async function SignUpPage() {
  const t = await getTranslations("auth");
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">{t("signUpTitle")}</h1>
      <SignUpForm action={signUpAction} sendCode={sendCodeAction} />
      <p className="text-sm text-stone-600">
        {t("haveAccount")}{" "}
        <Link href="/signin" className="text-brand-600 underline">
          {t("submitSignIn")}
        </Link>
      </p>
    </div>
  );
}
