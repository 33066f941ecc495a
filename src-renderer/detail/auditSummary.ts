/**
 * Audit summaries arrive as main recorded them, often a JSON object
 * ({"arrivalNumber":1,"code":"12/SNV-VP","file":"4a27…"}). Shown as short
 * "key: value" pairs; file hashes and other long values are left out.
 */
const maxValueLength = 80;
const hash = /^[0-9a-f]{32,}$/;

export function auditSummary(summary: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(summary);
  } catch {
    return summary;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return summary;
  return Object.entries(parsed)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v) && !hash.test(String(v)))
    .map(([k, v]) => {
      const text = String(v);
      return `${k}: ${text.length > maxValueLength ? `${text.slice(0, maxValueLength)}…` : text}`;
    })
    .join(', ');
}
