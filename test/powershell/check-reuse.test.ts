// A compiler process that builds again and again (a test suite, an editor's build on save) keeps
// the fragment check's pwsh process between builds (compiler/powershell/pwsh.ts, `keep`): the
// second build starts no pwsh, its findings are the same, a kept process that died is replaced,
// and a kept process never holds Node.js up when it is done.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../../compiler/index.js";
import { findPwsh, keptChecks, startFragmentParser } from "../../compiler/powershell/pwsh.js";
import { DiskCache } from "../../compiler/driver/cache.js";
import { repoRoot } from "../helpers/pwsh.js";

const work = mkdtempSync(join(repoRoot, "test", "powershell", ".work-reuse-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** This process's children running the fragment check (pid list), from /proc. */
function checkChildren(): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("check-fragments.ps1")) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found.sort();
}

/** What a build said and wrote (diagnostics first: a difference there is what a failure shows). */
const summary = (r: CompileResult): string => JSON.stringify([r.ok, r.diagnostics.map((d) => `${d.code} ${d.span?.file ?? ""}:${d.span?.start.line ?? 0} ${d.message}`), r.files.map((f) => `${f.path} ${createHash("sha256").update(f.content).digest("hex")}`)], null, 1);

describe.skipIf(process.platform !== "linux")("the fragment check's pwsh process, kept between builds of one process", () => {
  // A repo whose builds emit fragments and whole generated files. Without a persistent cache
  // (noCache) every build sends them all to pwsh: nothing PowerShell found is kept on disk.
  const repo = join(work, "repo");
  cpSync(join(repoRoot, "test", "golden", "cases", "values", "input"), repo, { recursive: true });
  const waitFor = async (ok: () => boolean): Promise<void> => {
    for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it("the next build starts no pwsh and finds the same; a kept process that died is replaced", async () => {
    const first = await compile({ root: repo, noCache: true });
    expect(first.ok, summary(first)).toBe(true);
    expect(first.files.length).toBeGreaterThan(0);
    // (the process is kept once its last reply has come)
    await waitFor(() => checkChildren().length > 0);
    const kept = checkChildren();
    expect(kept).toHaveLength(1);
    const second = await compile({ root: repo, noCache: true });
    expect(summary(second)).toBe(summary(first));
    await waitFor(() => checkChildren().length > 0);
    expect(checkChildren()).toEqual(kept);
    // A kept process killed while idle: the next build starts another and finds the same.
    process.kill(kept[0]!, "SIGKILL");
    await waitFor(() => !checkChildren().includes(kept[0]!));
    const third = await compile({ root: repo, noCache: true });
    expect(summary(third)).toBe(summary(first));
    await waitFor(() => checkChildren().length > 0);
    const replaced = checkChildren();
    expect(replaced).toHaveLength(1);
    expect(replaced).not.toEqual(kept);
  });

  it("a kept process that died before its exit was seen: the build that takes it moves to a new process, with the same findings", async () => {
    const pwsh = findPwsh(repoRoot)!;
    const texts = [
      { id: "a", text: "Get-Service -Name x -ErrorAction Ignor" },
      { id: "b", text: "$x = $null ?? 3" },
    ];
    // A cache of its own: another environment than the builds above, so a process of its own.
    const cache = DiskCache.open(join(work, "cache"));
    const first = startFragmentParser(pwsh, { keep: true, cache });
    const expected = await first.parse(texts);
    expect(expected.length).toBe(2);
    const before = keptChecks();
    first.dispose();
    // (kept once its last reply has come)
    await waitFor(() => keptChecks().length > before.length);
    const kept = keptChecks().filter((p) => !before.includes(p));
    expect(kept).toHaveLength(1);
    expect(checkChildren()).toContain(kept[0]);
    // Killed, and taken in the same turn of the event loop: its exit cannot have been seen yet.
    process.kill(kept[0]!, "SIGKILL");
    const second = startFragmentParser(pwsh, { keep: true, cache });
    expect(await second.parse(texts)).toEqual(expected);
    second.dispose();
  });

  it("a process that built and kept the check exits when its work is done, and its check process ends with it", () => {
    const script = `import { compile } from ${JSON.stringify(join(repoRoot, "lib", "compiler", "index.js"))};\nconst r = await compile({ root: ${JSON.stringify(repo)}, noCache: true });\nconsole.log(r.ok);\n`;
    const file = join(work, "build.mjs");
    writeFileSync(file, script);
    const started = Date.now();
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 120_000 });
    expect(r.stdout.trim(), r.stderr).toBe("true");
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(120_000);
  });
});
