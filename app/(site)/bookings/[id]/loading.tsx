export default function Loading() {
  return (
    <div className="mx-auto max-w-lg space-y-5" role="status" aria-busy="true">
      <div className="h-8 w-40 animate-pulse rounded bg-stone-200" />
      <div className="h-32 animate-pulse rounded-2xl border-2 border-dashed border-brand-100 bg-white" />
      <div className="h-48 animate-pulse rounded-xl border border-stone-200 bg-white" />
    </div>
  );
}
