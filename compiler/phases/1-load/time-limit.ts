// Author code runs under a time limit: a file's evaluation (with every file it requires) and each
// author callback (get, test, set, safe, body) that lowering runs.
import vm from "node:vm";

const RUN = Symbol.for("fleetform.evaluate.run");

/**
 * Runs `run` under a time limit. node:vm stops synchronous code that runs too long (an endless
 * loop at a file's top level) only inside a script it runs: the call goes through a one-line script.
 */
export function runWithTimeout<T>(run: () => T, timeout: number): T {
  if (!(timeout > 0)) return run();
  const slot = globalThis as unknown as Record<symbol, (() => T) | undefined>;
  const previous = slot[RUN];
  slot[RUN] = run;
  const mark = repairs.length;
  const depth = open;
  open = depth + 1;
  try {
    runner ??= new vm.Script(`globalThis[Symbol.for("fleetform.evaluate.run")]()`, { filename: "fleetform:evaluate" });
    return runner.runInThisContext({ timeout }) as T;
  } catch (error) {
    // (what this window stopped, innermost first)
    if (isTimeout(error)) for (const repair of repairs.splice(mark).reverse()) repair();
    throw error;
  } finally {
    // (also where a window inside this one was stopped by this one's limit, and its finally skipped)
    open = depth;
    slot[RUN] = previous;
  }
}

/** How many windows are open (runWithTimeout inside runWithTimeout). */
let open = 0;

/** Whether code runs inside a time-limit window now. */
export function windowOpen(): boolean {
  return open > 0;
}

/** See onStopped. */
const repairs: (() => void)[] = [];

/**
 * Registers `repair`, to run when the time limit of a window opened before this call stops the code
 * running now, before the returned function is called (node:vm's stop runs no catch or finally
 * block on its way out of the window: state they would have put right stays as it was). Call the
 * returned function when the code is done, however it ends.
 */
export function onStopped(repair: () => void): () => void {
  repairs.push(repair);
  return () => {
    const at = repairs.lastIndexOf(repair);
    if (at >= 0) repairs.splice(at, 1);
  };
}

let runner: vm.Script | undefined;

/** What a callback run by runEachWithTimeout did: returned a value, or threw (a timeout too: isTimeout). */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Runs each of `tasks` under the time limit `timeout`, like runWithTimeout for each, but with one
 * node:vm watchdog for many of them (a watchdog per call costs more than most author callbacks):
 * the tasks run one after the other in one window of `timeout` ms. When the window runs out during
 * a task that started it, that task took its whole limit: it timed out. When it runs out during a
 * later task, that task starts a window of its own (it is run again from its start), so every task
 * still gets `timeout` ms to itself, and an endless loop is stopped after at most twice that.
 */
export function runEachWithTimeout(tasks: readonly (() => unknown)[], timeout: number): Outcome[] {
  const outcomes: Outcome[] = [];
  const runFrom = (): void => {
    for (let i = outcomes.length; i < tasks.length; i++) {
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: tasks[i]!() };
      } catch (error) {
        // (node:vm's stop at the time limit cannot be caught here: it leaves the whole window)
        outcome = { ok: false, error };
      }
      outcomes.push(outcome);
    }
  };
  if (!(timeout > 0)) {
    runFrom();
    return outcomes;
  }
  while (outcomes.length < tasks.length) {
    const first = outcomes.length;
    try {
      runWithTimeout(runFrom, timeout);
    } catch (error) {
      if (!isTimeout(error)) throw error;
      if (outcomes.length === first) outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** True for the error node:vm throws when it stopped code at its time limit. */
export function isTimeout(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
}
