// V8's code cache of a script, kept in the persistent cache (compiler/driver/cache.ts) by the
// caller's key: compiled with the kept data when there is some (V8 compiles afresh data it does not
// accept), and kept once the script has run (so that the data holds the functions it ran).
import vm from "node:vm";
import type { DiskStore } from "../phases/context.js";

/** `code` compiled with the code cache kept under `kind`/`key`; `taken`: V8 took it (else keep it with keepCodeCache once run). */
export function compileWithCodeCache(disk: DiskStore, kind: string, key: string, code: string, filename: string): { script: vm.Script; taken: boolean } {
  const cachedData = disk.getBytes(kind, key);
  const script = new vm.Script(code, { filename, ...(cachedData ? { cachedData } : {}) });
  // (V8 says false only of data it was given and took)
  return { script, taken: script.cachedDataRejected === false };
}

/** Keeps a script's code cache under `kind`/`key`; never throws. */
export function keepCodeCache(disk: DiskStore, kind: string, key: string, script: vm.Script): void {
  let data: Buffer;
  try {
    data = script.createCachedData();
  } catch {
    return;
  }
  disk.putBytes(kind, key, data);
}
