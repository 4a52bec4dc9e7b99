"use client";

import { ActionForm, type FormAction } from "../action-form";
import { secondaryButtonClass } from "../ui";

/** The retry button of a refund that needs attention. */
export function RetryRefund({ action, refundId, label }: { action: FormAction; refundId: string; label: string }) {
  return (
    <ActionForm
      action={action}
      submitLabel={label}
      submitClass={secondaryButtonClass}
      className="flex items-center gap-2"
      testId="retry-refund"
      resultTestId="retry-refund-result"
    >
      <input type="hidden" name="refundId" value={refundId} />
    </ActionForm>
  );
}
