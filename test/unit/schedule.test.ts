import { describe, expect, it } from "vitest";
import { findScheduleProblem, findScheduleProblems, scheduleProblem } from "../../compiler/util/schedule.js";

describe("scheduleProblem: valid expressions", () => {
  it.each([
    "rate(30 minutes)",
    "rate(45 minutes)",
    "rate(1 hour)",
    "rate(2 hours)",
    "rate(1 day)",
    "rate(30 days)",
    "cron(0 2 ? * SUN *)",
    "cron(30 23 ? * TUE#3 *)",
    "cron(0/30 * * * ? *)",
    "cron(15 10 L * ? *)",
    "cron(0 8 ? * MON-FRI *)",
  ])("%s", (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });
});

describe("scheduleProblem: rate expressions", () => {
  it("rejects a rate under 30 minutes", () => {
    expect(scheduleProblem("rate(29 minutes)")).toMatch(/30 minutes/);
    expect(scheduleProblem("rate(5 minutes)")).toMatch(/30 minutes/);
    expect(scheduleProblem("rate(1 minute)")).toMatch(/30 minutes/);
  });

  it("asks for the singular unit with 1", () => {
    expect(scheduleProblem("rate(1 hours)")).toBe("use the singular unit: rate(1 hour)");
    expect(scheduleProblem("rate(1 days)")).toBe("use the singular unit: rate(1 day)");
  });

  it("asks for the plural unit with more than 1", () => {
    expect(scheduleProblem("rate(2 hour)")).toBe("use the plural unit: rate(2 hours)");
    expect(scheduleProblem("rate(30 minute)")).toBe("use the plural unit: rate(30 minutes)");
  });

  it("rejects 31 days and more", () => {
    expect(scheduleProblem("rate(31 days)")).toMatch(/under 31 days/);
    expect(scheduleProblem("rate(744 hours)")).toMatch(/under 31 days/);
    expect(scheduleProblem("rate(743 hours)")).toBeUndefined();
  });

  it("rejects a zero rate", () => {
    expect(scheduleProblem("rate(0 minutes)")).toMatch(/at least 1/);
  });

  it("rejects units other than minutes, hours and days, and malformed rates", () => {
    for (const e of ["rate(30 seconds)", "rate(1 week)", "rate(30minutes)", "rate(-30 minutes)", "rate(1.5 hours)", "rate( 30 minutes)"]) {
      expect(scheduleProblem(e), e).toMatch(/rate\(N minutes\|hours\|days\)/);
    }
  });
});

describe("scheduleProblem: cron expressions", () => {
  it("needs exactly six fields", () => {
    expect(scheduleProblem("cron(0 2 ? * SUN)")).toMatch(/six fields.*got 5/);
    expect(scheduleProblem("cron(0 0 2 ? * SUN *)")).toMatch(/six fields.*got 7/);
    expect(scheduleProblem("cron()")).toMatch(/six fields/);
  });

  it("needs exactly one of the day fields to be '?'", () => {
    expect(scheduleProblem("cron(0 2 ? * ? *)")).toMatch(/exactly one of day-of-month and day-of-week/);
    expect(scheduleProblem("cron(0 2 * * SUN *)")).toMatch(/exactly one of day-of-month and day-of-week/);
    expect(scheduleProblem("cron(0 2 1 * * *)")).toMatch(/exactly one of day-of-month and day-of-week/);
  });

  it("rejects every minute", () => {
    expect(scheduleProblem("cron(* * * * ? *)")).toMatch(/every 30 minutes/);
    expect(scheduleProblem("cron(0/1 * * * ? *)")).toMatch(/every 30 minutes/);
  });

  it.each(["cron(0/5 * * * ? *)", "cron(*/5 * * * ? *)", "cron(0/15 * * * ? *)", "cron(0,5,10,15,20,25,30,35,40,45,50,55 * * * ? *)"])(
    "rejects running every 5 or 15 minutes: %s",
    (expression) => {
      expect(scheduleProblem(expression)).toMatch(/every 30 minutes/);
    },
  );

  it("rejects characters a cron cannot have", () => {
    expect(scheduleProblem("cron(0 2 ? * SUN; *)")).toMatch(/field 'SUN;'/);
  });
});

describe("scheduleProblem: neither rate nor cron", () => {
  it.each(["", "daily", "every 5 minutes", "at(2024-01-01T00:00:00)", "RATE(30 minutes)", "cron 0 2 ? * SUN *"])("rejects %j", (expression) => {
    expect(scheduleProblem(expression)).toBe("use rate(...) or cron(...)");
  });
});

// Field by field, as the AWS reference "Cron and rate expressions for Systems Manager" describes
// them: minutes 0-59, hours 0-23, day-of-month 1-31 (L, LW, NW), month 1-12 or JAN-DEC,
// day-of-week 1-7 or SUN-SAT (L, NL, N#k), year 1970-2199; `?` in exactly one day field.
const VALID = [
  "rate(30 minutes)",
  "rate(90 minutes)",
  "rate(12 hours)",
  "rate(7 days)",
  "cron(0 2 ? * SUN *)",
  "cron(0 0 ? * THU#2 *)",
  "cron(0 0 ? * 3L *)",
  "cron(0 0 ? * L *)",
  "cron(0 0 ? * FRIL *)",
  "cron(0 0 ? * 1#1 *)",
  "cron(0 0 ? * 7#5 *)",
  "cron(0 0 L * ? *)",
  "cron(0 0 LW * ? *)",
  "cron(0 0 15W * ? *)",
  "cron(0 0 1W * ? *)",
  "cron(0 0 31 * ? *)",
  "cron(59 23 * * ? *)",
  "cron(0 0 1 1 ? *)",
  "cron(0 0 1 JAN ? *)",
  "cron(0 0 1 jan ? *)",
  "cron(0 0 1 JUL-DEC ? *)",
  "cron(0 0 1 1,4,7,10 ? *)",
  "cron(0 0 1 1/3 ? *)",
  "cron(0 0 1 */2 ? *)",
  "cron(0 */2 * * ? *)",
  "cron(0 1/4 * * ? *)",
  "cron(0 8-18 ? * MON-FRI *)",
  "cron(0 8 ? * 2-6 *)",
  "cron(0 8 ? * MON,WED,FRI *)",
  "cron(0 8 ? * sun *)",
  "cron(0,30 * * * ? *)",
  "cron(15,45 * * * ? *)",
  "cron(10 3 1-15 * ? *)",
  "cron(10 3 1-15/2 * ? *)",
  "cron(0 0 1 1 ? 1970)",
  "cron(0 0 1 1 ? 2199)",
  "cron(0 0 1 1 ? 2025-2030)",
  "cron(0 0 1 1 ? 2025/2)",
  "cron(0 0 * * ? 2026,2027)",
];

/** [expression, the field the diagnostic points at (its text in the expression), what the message says] */
const INVALID: [string, string, RegExp][] = [
  ["cron(0 25 ? * * *)", "25", /hours field '25': 25 is out of range \(0-23\)/],
  ["cron(75 2 ? 13 FOO *)", "75", /minutes field '75': 75 is out of range \(0-59\)/],
  ["cron(0 2 ? 13 * *)", "13", /month field '13': 13 is out of range \(1-12 or JAN-DEC\)/],
  ["cron(0 2 ? FOO * *)", "FOO", /month field 'FOO': 'FOO' is not a month \(1-12 or JAN-DEC\)/],
  ["cron(0 2 ? 0 * *)", "0", /month field '0'.*out of range/],
  ["cron(60 2 ? * * *)", "60", /minutes field '60'/],
  ["cron(0 24 ? * * *)", "24", /hours field '24'/],
  ["cron(0 2 0 * ? *)", "0", /day-of-month field '0': 0 is out of range \(1-31\)/],
  ["cron(0 2 32 * ? *)", "32", /day-of-month field '32'/],
  ["cron(0 2 32W * ? *)", "32W", /day-of-month field '32W': 32 is out of range/],
  ["cron(0 2 L,15 * ? *)", "L,15", /day-of-month field 'L,15'.*stand alone/],
  ["cron(0 2 ? * 0 *)", "0", /day-of-week field '0': 0 is out of range \(1-7 or SUN-SAT\)/],
  ["cron(0 2 ? * 8 *)", "8", /day-of-week field '8'/],
  ["cron(0 2 ? * FOO *)", "FOO", /day-of-week field 'FOO': 'FOO' is not a day/],
  ["cron(0 2 ? * SUNDAY *)", "SUNDAY", /day-of-week field 'SUNDAY'/],
  ["cron(0 2 ? * MON#6 *)", "MON#6", /'#6': the week of the month is 1 to 5/],
  ["cron(0 2 ? * MON#0 *)", "MON#0", /'#0': the week of the month is 1 to 5/],
  ["cron(0 2 ? * 8L *)", "8L", /day-of-week field '8L': 8 is out of range/],
  ["cron(0 2 ? * */2 *)", "*/2", /increments \(a\/n\) are not allowed in the day-of-week field/],
  ["cron(0 2 ? * MON-FRI 1969)", "1969", /year field '1969': 1969 is out of range \(1970-2199\)/],
  ["cron(0 2 ? * MON-FRI 2200)", "2200", /year field '2200'/],
  ["cron(0 2 ? JAN-FEB-MAR * *)", "JAN-FEB-MAR", /month field 'JAN-FEB-MAR'/],
  ["cron(0 18-6 ? * * *)", "18-6", /the range '18-6' runs backwards/],
  ["cron(0 2 ? * FRI-MON *)", "FRI-MON", /the range 'FRI-MON' runs backwards/],
  ["cron(0 0/30 * * ? *)", "0/30", /hours field '0\/30': '\/30': the increment must be from 1 to 23/],
  ["cron(0 2/0 * * ? *)", "2/0", /'\/0': the increment must be from 1 to 23/],
  ["cron(0 2/x * * ? *)", "2/x", /'\/x': an increment is a whole number/],
  ["cron(0 1,,2 * * ? *)", "1,,2", /a list item is empty/],
  ["cron(0 *-3 * * ? *)", "*-3", /'\*' cannot start a range/],
  ["cron(? 2 * * ? *)", "?", /minutes field '\?': '\?' is only for day-of-month or day-of-week/],
  ["cron(0 2 ? ? * *)", "?", /month field '\?'/],
  ["cron(0 2 1,? * * *)", "1,?", /'\?' stands alone/],
  ["cron(0 2 ? * SUN; *)", "SUN;", /day-of-week field 'SUN;'/],
  ["cron(0 2 15X * ? *)", "15X", /day-of-month field '15X'/],
  ["cron(0 2 L * L *)", "L * L", /exactly one of day-of-month and day-of-week must be '\?'/],
  ["cron(0 2 ? * ? *)", "? * ?", /exactly one of day-of-month and day-of-week must be '\?'/],
  ["cron(0/15 * * * ? *)", "0/15", /every 30 minutes/],
  ["cron(0,20 * * * ? *)", "0,20", /every 30 minutes/],
  ["cron(10-50/20 * * * ? *)", "10-50/20", /every 30 minutes/],
];

describe("scheduleProblem: the table (at least 30 valid and 30 invalid)", () => {
  it("has the size the table promises", () => {
    expect(VALID.filter((e) => e.startsWith("cron(")).length).toBeGreaterThanOrEqual(30);
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  it.each(VALID)("accepts %s", (expression) => {
    expect(findScheduleProblem(expression)).toBeUndefined();
  });

  it.each(INVALID)("rejects %s at %j", (expression, at, message) => {
    const problem = findScheduleProblem(expression);
    expect(problem?.message).toMatch(message);
    // The offsets are those of the field (or fields) in the expression, checked against its text.
    expect(expression.slice(problem!.start, problem!.end)).toBe(at);
    // ... and of the field the message names: minutes, hours, ... counted in the expression here.
    const named = /^(minutes|hours|day-of-month|month|day-of-week|year) field/.exec(problem!.message)?.[1];
    const index = named ? ["minutes", "hours", "day-of-month", "month", "day-of-week", "year"].indexOf(named) : /exactly one of day/.test(problem!.message) ? 2 : 0;
    const starts = [...expression.slice(5, -1).matchAll(/\S+/g)].map((m) => 5 + m.index);
    expect(problem!.start).toBe(starts[index]);
  });

  it("points at the whole expression when it is not cron(...) with six fields", () => {
    for (const e of ["cron(0 2 ? * SUN)", "rate(5 minutes)", "daily"]) expect(findScheduleProblem(e)).toMatchObject({ start: 0, end: e.length });
  });
});

describe("findScheduleProblems", () => {
  it("reports every wrong field, each at its place", () => {
    const e = "cron(75 2 ? 13 FOO *)";
    expect(findScheduleProblems(e).map((p) => [e.slice(p.start, p.end), p.message.split(":")[0]])).toEqual([
      ["75", "minutes field '75'"],
      ["13", "month field '13'"],
      ["FOO", "day-of-week field 'FOO'"],
    ]);
  });

  it("is empty for a valid expression", () => {
    expect(findScheduleProblems("cron(0 2 ? * SUN *)")).toEqual([]);
  });
});
