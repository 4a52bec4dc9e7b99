import type { InputHTMLAttributes } from "react";

export type FormState = { ok: boolean; message?: string; fieldErrors?: Record<string, string[]> } | null;

export function Field({
  label,
  name,
  errors,
  hint,
  ...rest
}: { label: string; name: string; errors?: string[]; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = `f-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        className="w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
        {...rest}
      />
      {hint && !errors?.length && <p className="text-xs text-stone-500">{hint}</p>}
      {errors?.map((e) => (
        <p key={e} className="text-sm text-red-600" role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}

export function FormMessage({ state }: { state: FormState }) {
  if (!state?.message) return null;
  return (
    <p role="alert" className={state.ok ? "text-sm text-green-700" : "rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700"}>
      {state.message}
    </p>
  );
}

export function SubmitButton({ children, pending }: { children: React.ReactNode; pending?: boolean }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="w-full rounded-lg bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
    >
      {children}
    </button>
  );
}
