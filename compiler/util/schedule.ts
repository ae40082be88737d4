// State Manager association schedule expressions (notes/aws.md §f; AWS Systems Manager user guide,
// "Reference: Cron and rate expressions for Systems Manager"): rate() from 30 minutes to under 31
// days with a singular unit for 1; cron() in the six-position association form, checked field by field.

/** What is wrong with a schedule, and where: `start`/`end` are offsets into the expression (end exclusive). */
export interface ScheduleProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** Returns a problem description, or undefined when the expression is valid. */
export function scheduleProblem(expression: string): string | undefined {
  return findScheduleProblem(expression)?.message;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** What a value is, for messages: "0-59", "1-12 or JAN-DEC". */
  readonly values: string;
  /** Three-letter names for 1, 2, ... (month and day-of-week). */
  readonly names?: readonly string[];
  /** Increments (`a/n`) are allowed. */
  readonly step: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

// The table of the AWS reference: which values and wildcards each field takes. (`?`, `L`, `W` and
// `#` are handled for the two day fields below; like the Quartz cron AWS follows, they stand alone.)
const FIELDS: readonly FieldSpec[] = [
  { name: "minutes", min: 0, max: 59, values: "0-59", step: true },
  { name: "hours", min: 0, max: 23, values: "0-23", step: true },
  { name: "day-of-month", min: 1, max: 31, values: "1-31", step: true },
  { name: "month", min: 1, max: 12, values: "1-12 or JAN-DEC", names: MONTHS, step: true },
  { name: "day-of-week", min: 1, max: 7, values: "1-7 or SUN-SAT", names: DAYS, step: false },
  { name: "year", min: 1970, max: 2199, values: "1970-2199", step: true },
];

/** The first problem of a schedule expression with the offsets of the part it is in, or undefined when it is valid. */
export function findScheduleProblem(expression: string): ScheduleProblem | undefined {
  return findScheduleProblems(expression)[0];
}

/**
 * The problems of a schedule expression, each with the offsets of the part it is in: one for each
 * cron field that is wrong, else one for the expression (empty when it is valid).
 */
export function findScheduleProblems(expression: string): ScheduleProblem[] {
  const problem = expressionProblem(expression);
  return Array.isArray(problem) ? problem : problem ? [problem] : [];
}

function expressionProblem(expression: string): ScheduleProblem | ScheduleProblem[] | undefined {
  const whole = (message: string): ScheduleProblem => ({ message, start: 0, end: expression.length });
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    if (n === 0) return whole("the rate must be at least 1");
    if ((n === 1) !== !unit.endsWith("s")) return whole(n === 1 ? `use the singular unit: rate(1 ${unit.replace(/s$/, "")})` : `use the plural unit: rate(${n} ${unit}s)`);
    const minutes = n * (unit.startsWith("minute") ? 1 : unit.startsWith("hour") ? 60 : 1440);
    if (minutes < 30) return whole("associations run at most every 30 minutes (rate(30 minutes))");
    if (minutes >= 31 * 1440) return whole("a rate must be under 31 days");
    return undefined;
  }
  if (/^rate\(/.test(expression)) return whole("write rate(N minutes|hours|days), e.g. rate(30 minutes)");
  const cron = /^cron\((.*)\)$/s.exec(expression);
  if (!cron) return whole("use rate(...) or cron(...)");
  const fields = [...cron[1]!.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: "cron(".length + m.index }));
  if (fields.length !== 6) return whole(`an association cron has six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const wrong: ScheduleProblem[] = [];
  for (const [i, f] of fields.entries()) {
    const problem = fieldProblem(FIELDS[i]!, f.text, i === 2 ? "dom" : i === 4 ? "dow" : undefined);
    if (problem) wrong.push({ message: `${FIELDS[i]!.name} field '${f.text}': ${problem}`, start: f.start, end: f.start + f.text.length });
  }
  if (wrong.length > 0) return wrong;
  const dom = fields[2]!;
  const dow = fields[4]!;
  if ((dom.text === "?") === (dow.text === "?")) {
    return { message: "exactly one of day-of-month and day-of-week must be '?' (the other says which days)", start: dom.start, end: dow.start + dow.text.length };
  }
  const minute = fields[0]!;
  if (minutesTooFrequent(minute.text)) return { message: "associations cannot run more often than every 30 minutes", start: minute.start, end: minute.start + minute.text.length };
  return undefined;
}

/** What is wrong with one cron field, or undefined. `day` says which day field it is (they take ?, L, W, #). */
function fieldProblem(spec: FieldSpec, text: string, day: "dom" | "dow" | undefined): string | undefined {
  if (text === "?") return day ? undefined : "'?' is only for day-of-month or day-of-week";
  if (day === "dom") {
    if (text === "L" || text === "LW") return undefined;
    const weekday = /^(\d+)W$/.exec(text);
    if (weekday) return inRange(spec, Number(weekday[1]), weekday[1]!);
  }
  if (day === "dow") {
    if (text === "L") return undefined;
    const last = /^([0-9A-Za-z]+)L$/.exec(text);
    if (last) return valueProblem(spec, last[1]!);
    const nth = /^([0-9A-Za-z]+)#(\d+)$/.exec(text);
    if (nth) {
      const n = Number(nth[2]);
      return valueProblem(spec, nth[1]!) ?? (n >= 1 && n <= 5 ? undefined : `'#${nth[2]!}': the week of the month is 1 to 5`);
    }
  }
  const special = day === "dom" ? " (L, LW and NW, the weekday nearest day N, stand alone)" : day === "dow" ? " (L, NL, the last N-day of the month, and N#k, the k-th N-day, stand alone)" : "";
  for (const item of text.split(",")) {
    if (item === "") return "a list item is empty";
    const m = /^(\*|[0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:\/(.*))?$/.exec(item);
    if (!m) {
      if (/[?]/.test(item)) return "'?' stands alone";
      return `'${item}' is not a value (${spec.values}), a range (a-b), '*' or an increment (a/n)${special}`;
    }
    const [, from, to, step] = m;
    if (from === "*" && to !== undefined) return `'${item}': '*' cannot start a range`;
    for (const v of from === "*" ? [to] : [from, to]) {
      const problem = v === undefined ? undefined : valueProblem(spec, v);
      if (problem) return /[LW#]/i.test(v!) && !spec.names?.includes(v!.toUpperCase()) ? `${problem}${special}` : problem;
    }
    if (to !== undefined && valueOf(spec, to)! < valueOf(spec, from!)!) return `the range '${from!}-${to}' runs backwards; write the smaller value first`;
    if (step !== undefined) {
      if (!spec.step) return `increments (a/n) are not allowed in the ${spec.name} field`;
      if (!/^\d+$/.test(step)) return `'/${step}': an increment is a whole number`;
      const n = Number(step);
      if (n < 1 || n > spec.max) return `'/${step}': the increment must be from 1 to ${spec.max}`;
    }
  }
  return undefined;
}

/** A number or (month, day-of-week) name in the field's range. */
function valueOf(spec: FieldSpec, text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + 1 : undefined;
}

function valueProblem(spec: FieldSpec, text: string): string | undefined {
  const value = valueOf(spec, text);
  if (value === undefined) return `'${text}' is not a ${spec.name === "day-of-week" ? "day" : spec.name === "month" ? "month" : "number"} (${spec.values})`;
  return inRange(spec, value, text);
}

function inRange(spec: FieldSpec, value: number, text: string): string | undefined {
  return value >= spec.min && value <= spec.max ? undefined : `${text} is out of range (${spec.values})`;
}

/** The minutes field of a cron expression fires more than twice an hour, or twice less than 30 minutes apart. */
function minutesTooFrequent(field: string): boolean {
  const minutes = new Set<number>();
  for (const part of field.split(",")) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return false; // the field was checked before: this does not happen
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
