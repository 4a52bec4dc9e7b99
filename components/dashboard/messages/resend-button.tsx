"use client";

import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { secondaryButtonClass } from "../ui";

/** `action` re-queues the message (a server action passed in by the page). */
export function ResendButton({ id, action }: { id: string; action: FormAction }) {
  const t = useTranslations("dash.messages");
  return (
    <ActionForm action={action} submitLabel={t("resend")} submitClass={secondaryButtonClass} className="flex items-center gap-2">
      <input type="hidden" name="notificationId" value={id} />
    </ActionForm>
  );
}
