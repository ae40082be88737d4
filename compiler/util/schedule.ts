// State Manager association schedule expressions (notes/aws.md §f): rate() from 30 minutes to
// under 31 days with a singular unit for 1; cron() in the six-position association form.

/** Returns a problem description, or undefined when the expression is valid. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    if (n === 0) return "the rate must be at least 1";
    if ((n === 1) !== !unit.endsWith("s")) return n === 1 ? `use the singular unit: rate(1 ${unit.replace(/s$/, "")})` : `use the plural unit: rate(${n} ${unit}s)`;
    const minutes = n * (unit.startsWith("minute") ? 1 : unit.startsWith("hour") ? 60 : 1440);
    if (minutes < 30) return "associations run at most every 30 minutes (rate(30 minutes))";
    if (minutes >= 31 * 1440) return "a rate must be under 31 days";
    return undefined;
  }
  if (/^rate\(/.test(expression)) return "write rate(N minutes|hours|days), e.g. rate(30 minutes)";
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return "use rate(...) or cron(...)";
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return `an association cron has six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  const [minute, , dom, , dow] = fields as [string, string, string, string, string, string];
  if ((dom === "?") === (dow === "?")) return "exactly one of day-of-month and day-of-week must be '?'";
  if (minutesTooFrequent(minute)) return "associations cannot run more often than every 30 minutes";
  for (const f of fields) {
    if (!/^[0-9A-Za-z*?/,#L-]+$/.test(f)) return `field '${f}' has characters a cron expression cannot have`;
  }
  return undefined;
}

/** The minutes field of a cron expression fires more than twice an hour, or twice less than 30 minutes apart. */
function minutesTooFrequent(field: string): boolean {
  const minutes = new Set<number>();
  for (const part of field.split(",")) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return false; // other syntax errors are reported elsewhere (or by AWS)
    const start = m[1] === "*" ? 0 : Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : m[1] === "*" || m[3] !== undefined ? 59 : start;
    const step = m[3] !== undefined ? Math.max(1, Number(m[3])) : 1;
    for (let v = start; v <= end && v < 60; v += step) minutes.add(v);
  }
  const sorted = [...minutes].sort((a, b) => a - b);
  if (sorted.length > 2) return true;
  if (sorted.length === 2) return sorted[1]! - sorted[0]! < 30 || sorted[0]! + 60 - sorted[1]! < 30;
  return false;
}
