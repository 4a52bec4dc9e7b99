"use client";

import { startTransition, useActionState, useEffect, useRef, type ReactNode } from "react";
import { useFixedFields } from "@/components/ui/use-fixed-fields";
import type { DashResult } from "@/lib/dashboard/run-action";
import { buttonClass } from "./ui";

export type FormAction<T = unknown> = (prev: DashResult<T> | null, fd: FormData) => Promise<DashResult<T>>;

/** The message line under a dashboard form: green on success, red with field errors on failure. */
export function ResultMessage({ state, testId }: { state: DashResult | null; testId?: string }) {
  if (!state?.message && !state?.fieldErrors) return null;
  const fieldLines = state.ok
    ? []
    : Object.entries(state.fieldErrors ?? {}).flatMap(([k, v]) => v.map((m) => (k === "_" ? m : `${k}: ${m}`)));
  const lines = [...(state.message ? [state.message] : []), ...fieldLines.filter((l) => !state.message?.endsWith(l))];
  return (
    <div
      role={state.ok ? "status" : "alert"}
      data-testid={testId}
      data-ok={state.ok ? "true" : "false"}
      className={state.ok ? "text-sm text-emerald-700" : "rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700"}
    >
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

/**
 * A form bound to a dashboard server action with useActionState, showing the action's result. It
 * submits from onSubmit rather than the `action` prop: React resets an action form after every
 * submission, which would wipe what staff typed when the server refuses it. Resets only on success
 * when asked. `children` may read the last result (field errors).
 */
export function ActionForm<T>({
  action,
  children,
  submitLabel,
  submitClass = buttonClass,
  className = "space-y-3",
  testId,
  resultTestId,
  resetOnSuccess = false,
  confirmText,
  onResult,
}: {
  action: FormAction<T>;
  children?: ReactNode | ((state: DashResult<T> | null) => ReactNode);
  submitLabel: string;
  submitClass?: string;
  className?: string;
  testId?: string;
  resultTestId?: string;
  resetOnSuccess?: boolean;
  confirmText?: string;
  onResult?: (state: DashResult<T>) => void;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const ref = useRef<HTMLFormElement>(null);
  // A field's error goes away once staff edit that field.
  const fixed = useFixedFields(state);
  const shown = state?.fieldErrors
    ? {
        ...state,
        fieldErrors: Object.fromEntries(
          Object.entries(state.fieldErrors).filter(([k]) => fixed.shown(k, state.fieldErrors?.[k]) !== undefined),
        ),
      }
    : state;
  useEffect(() => {
    if (!state) return;
    if (state.ok && resetOnSuccess) ref.current?.reset();
    onResult?.(state);
    // onResult is a fresh closure each render; the state object is what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  return (
    <form
      ref={ref}
      className={className}
      data-testid={testId}
      onChange={fixed.onChange}
      onSubmit={(e) => {
        e.preventDefault();
        if (confirmText && !window.confirm(confirmText)) return;
        const submitter = (e.nativeEvent as SubmitEvent).submitter;
        const fd = new FormData(e.currentTarget, submitter);
        startTransition(() => formAction(fd));
      }}
    >
      {typeof children === "function" ? children(shown) : children}
      <ResultMessage state={shown} testId={resultTestId} />
      <button type="submit" disabled={pending} className={submitClass} aria-busy={pending}>
        {pending ? "…" : submitLabel}
      </button>
    </form>
  );
}
