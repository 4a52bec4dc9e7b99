"use client";

import { useTranslations } from "next-intl";
import { resendAction } from "@/app/dashboard/(staff)/messages/actions";
import { ActionForm } from "../action-form";
import { secondaryButtonClass } from "../ui";

export function ResendButton({ id }: { id: string }) {
  const t = useTranslations("dash.messages");
  return (
    <ActionForm action={resendAction} submitLabel={t("resend")} submitClass={secondaryButtonClass} className="flex items-center gap-2">
      <input type="hidden" name="notificationId" value={id} />
    </ActionForm>
  );
}
