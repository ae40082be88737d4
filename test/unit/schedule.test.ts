import { describe, expect, it } from "vitest";
import { scheduleProblem } from "../../compiler/util/schedule.js";

describe("scheduleProblem: valid expressions", () => {
  it.each([
    "rate(30 minutes)",
    "rate(45 minutes)",
    "rate(1 hour)",
    "rate(2 hours)",
    "rate(1 day)",
    "rate(30 days)",
    "cron(0 0/30 * * ? *)",
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
