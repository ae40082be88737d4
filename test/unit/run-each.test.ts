import { describe, expect, it } from "vitest";
import { isTimeout, runEachWithTimeout } from "../../compiler/phases/1-load/time-limit.js";
import { toDotNetPattern } from "../../compiler/util/dotnet-regex.js";

const busy = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
};

describe("runEachWithTimeout (author callbacks under one time-limit window)", () => {
  it("returns each task's value or error, in order", () => {
    const boom = new Error("boom");
    const outcomes = runEachWithTimeout([() => 1, () => { throw boom; }, () => "three"], 5_000);
    expect(outcomes).toEqual([{ ok: true, value: 1 }, { ok: false, error: boom }, { ok: true, value: "three" }]);
  });

  it("stops the task that loops, blames only it, and runs the tasks after it", () => {
    let after = 0;
    const outcomes = runEachWithTimeout([() => "before", () => { for (;;) { /* endless */ } }, () => ++after], 300);
    expect(outcomes[0]).toEqual({ ok: true, value: "before" });
    expect(outcomes[1]!.ok).toBe(false);
    expect(isTimeout((outcomes[1] as { error: unknown }).error)).toBe(true);
    expect(outcomes[2]).toEqual({ ok: true, value: 1 });
    expect(after).toBe(1);
  });

  it("gives every task the whole limit: slow tasks that together exceed one window are not stopped", () => {
    // Each takes 60 % of the limit: the second and third run out a window started by another task,
    // and are run again in a window of their own.
    const runs = [0, 0, 0];
    const outcomes = runEachWithTimeout([0, 1, 2].map((i) => () => { runs[i]!++; busy(240); return i; }), 400);
    expect(outcomes).toEqual([0, 1, 2].map((i) => ({ ok: true, value: i })));
    expect(runs[0]).toBe(1);
  });

  it("runs without a window when there is no limit", () => {
    expect(runEachWithTimeout([() => 7], 0)).toEqual([{ ok: true, value: 7 }]);
  });
});

describe("toDotNetPattern, translated once per pattern", () => {
  it("returns the same translation for the same source and flags, and another for other flags", () => {
    const a = toDotNetPattern("^[A-Za-z0-9_.-]{1,80}$", "");
    expect(a).toEqual({ ok: true, pattern: expect.any(String) });
    expect(toDotNetPattern("^[A-Za-z0-9_.-]{1,80}$", "")).toBe(a);
    const i = toDotNetPattern("^[A-Za-z0-9_.-]{1,80}$", "i");
    expect(i).not.toBe(a);
    expect(toDotNetPattern("(", "")).toEqual({ ok: false, problem: expect.stringContaining("not a valid") });
  });
});
