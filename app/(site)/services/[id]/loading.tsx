export default function Loading() {
  return (
    <div className="space-y-6" role="status" aria-busy="true">
      <div className="h-4 w-24 animate-pulse rounded bg-stone-200" />
      <div className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5">
        <div className="h-7 w-2/3 animate-pulse rounded bg-stone-200" />
        <div className="h-4 w-full animate-pulse rounded bg-stone-100" />
        <div className="flex gap-2">
          <div className="h-6 w-16 animate-pulse rounded-full bg-stone-100" />
          <div className="h-6 w-16 animate-pulse rounded-full bg-brand-50" />
        </div>
      </div>
      <div className="h-96 animate-pulse rounded-xl border border-stone-200 bg-white" />
    </div>
  );
}
