// One in-memory build of a read-only config repo (examples/docutap, the golden cases) per test run,
// shared by every test file that needs it, instead of one compile (TypeScript's checker and a pwsh
// process included) per file. test/setup/shared-builds.ts gives each run a fresh folder
// (inject("sharedBuilds")); the first file to ask for a root compiles it exactly as before
// (`compile({ root })`, this checkout's compiler sources), writes the CompileResult there with
// v8.serialize (a plain-data structured clone, so a deserialized copy deep-equals the original),
// and the other files wait for it and read it. Each call returns a copy of its own, as a fresh
// compile would. Only for `compile({ root })` with no other option, of sources no test changes.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deserialize, serialize } from "node:v8";
import { inject } from "vitest";
import { compile, type CompileResult } from "../../compiler/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder of this run's shared builds (test/setup/shared-builds.ts). */
    sharedBuilds: string;
  }
}

/** How long a file waits for another file's build of the same root before compiling it itself. */
const WAIT_MS = 15 * 60_000;

const buffers = new Map<string, Promise<Buffer | undefined>>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The shared build of `root`, read from the run's folder, else compiled here (and shared). */
async function sharedBuffer(root: string, dir: string): Promise<Buffer | undefined> {
  const key = createHash("sha256").update(root).digest("hex").slice(0, 24);
  const file = join(dir, `${key}.v8`);
  const lock = join(dir, `${key}.lock`);
  const started = Date.now();
  for (;;) {
    if (existsSync(file)) return readFileSync(file);
    try {
      mkdirSync(lock);
    } catch {
      // Another file is compiling it: wait for its result, or for it to give up (lock removed).
      if (Date.now() - started > WAIT_MS) return undefined;
      await sleep(250);
      continue;
    }
    // This file compiles it. Whatever goes wrong, the lock goes, so no one waits for nothing.
    try {
      const data = serialize(await compile({ root }));
      writeFileSync(`${file}.tmp-${process.pid}`, data);
      renameSync(`${file}.tmp-${process.pid}`, file);
      return data;
    } finally {
      rmdirSync(lock);
    }
  }
}

/**
 * `compile({ root })`, computed once per test run for all test files. Falls back to compiling here
 * when the run has no shared folder (a config without the global set-up) or the build cannot be shared.
 */
export async function sharedCompile(root: string): Promise<CompileResult> {
  const abs = resolve(root);
  const dir = inject("sharedBuilds");
  if (!dir || !existsSync(dir)) return compile({ root: abs });
  let pending = buffers.get(abs);
  if (!pending) {
    pending = sharedBuffer(abs, dir);
    buffers.set(abs, pending);
  }
  const data = await pending;
  return data ? (deserialize(data) as CompileResult) : compile({ root: abs });
}
