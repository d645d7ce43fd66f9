// Label maps and selectors as kubectl prints them: "a=1,b=2" in key order, "<none>" when empty.

export function labelsString(labels: unknown): string {
  if (typeof labels !== 'object' || labels === null) return '<none>';
  const entries = Object.entries(labels as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';
}
