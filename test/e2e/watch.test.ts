// `fleetform build --watch` as a process: after an edit it rewrites exactly the artifacts whose
// content changed (each through a rename, so a rewritten file has a new inode), and the output then
// equals what `fleetform build` writes from scratch.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyDocutap, listFiles } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const parent = mkdtempSync(join(work, "watch-"));
const repo = join(parent, "repo");
const out = join(parent, "out");
copyDocutap(repo);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill();
  rmSync(parent, { recursive: true, force: true });
});

/** Lines the watcher prints, and a way to wait for the next one matching a pattern. */
function startWatch(repoDir = repo, outDir = out): { next: (pattern: RegExp, seconds?: number) => Promise<string>; lines: string[]; pid: number } {
  const child = spawn(process.execPath, [bin, "build", repoDir, "--out", outDir, "--watch"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines: string[] = [];
  let buffer = "";
  let waiting: { pattern: RegExp; from: number; done: (line: string) => void } | undefined;
  let seen = 0;
  const check = (): void => {
    if (!waiting) return;
    const found = lines.slice(waiting.from).find((l) => waiting!.pattern.test(l));
    if (found) {
      const w = waiting;
      waiting = undefined;
      seen = lines.indexOf(found, w.from) + 1;
      w.done(found);
    }
  };
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    buffer += d;
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
    check();
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => lines.push(...d.split("\n").map((l) => `stderr: ${l}`)));
  return {
    lines,
    pid: child.pid!,
    // A line that never comes fails after a minute (the background check, at a lower CPU priority
    // while other test files keep the machine busy: two minutes), with what the watcher printed.
    next: (pattern, seconds = 60) =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no line matching ${pattern} within ${seconds} s; the watcher printed:\n${lines.slice(-20).join("\n")}`)), seconds * 1000);
        waiting = {
          pattern,
          from: seen,
          done: (line) => {
            clearTimeout(timer);
            done(line);
          },
        };
        check();
      }),
  };
}

/** The processes below `pid` (children, theirs, ...), with their command lines (Linux: /proc). */
function descendants(pid: number): Map<number, string> {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, the last ")" ends it.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = new Map<number, string>();
  const walk = (parent: number): void => {
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent || found.has(child)) continue;
      let command = "";
      try {
        command = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ");
      } catch {
        // gone meanwhile
      }
      found.set(child, command);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

function snapshot(dir: string): Map<string, { ino: number; content: string }> {
  return new Map(listFiles(dir).map((f) => [f, { ino: statSync(join(dir, f)).ino, content: readFileSync(join(dir, f)).toString("base64") }]));
}

function edit(file: string, from: string, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

describe("fleetform build --watch", () => {
  const watcher = startWatch();

  it("writes the first build, then rewrites exactly the artifacts an edit changed", async () => {
    await watcher.next(/^fleetform: wrote \d+ files/);
    const before = snapshot(out);
    expect(before.size).toBeGreaterThan(50);

    edit("modules/emr/index.ts", "The EMR application: its MSI", "The EMR application (edited): its MSI");
    const line = await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/);
    expect(line).toMatch(/^fleetform: rebuilt in \d+ ms: 3 written, 0 removed/);
    const after = snapshot(out);

    // What a build from scratch writes for the edited sources.
    const fresh = join(parent, "fresh");
    const r = spawnSync(process.execPath, [bin, "build", repo, "--out", fresh], { cwd: repoRoot, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const expected = snapshot(fresh);
    expect([...after.keys()]).toEqual([...expected.keys()]);
    for (const [path, file] of expected) expect(after.get(path)!.content, path).toBe(file.content);

    const changed = [...after].filter(([path, f]) => before.get(path)!.content !== f.content).map(([path]) => path);
    const rewritten = [...after].filter(([path, f]) => before.get(path)!.ino !== f.ino).map(([path]) => path);
    expect(changed.sort()).toEqual(["manifest.json", "modules/Emr/Emr.psd1", "modules/Emr/Emr.psm1"]);
    expect(rewritten.sort()).toEqual(changed);
  });

  it("sees an in-place write to a file that an editor replaced by renaming another over it before", async () => {
    const path = join(repo, "modules", "emr", "index.ts");
    // The way sed -i and many editors save: a temporary file renamed over the source.
    writeFileSync(`${path}.tmp`, readFileSync(path, "utf8").replace("The EMR application (edited)", "The EMR application (renamed over)"));
    // (An editor's temporary file is not a source: its creation alone starts no rebuild.)
    await new Promise((r) => setTimeout(r, 500));
    renameSync(`${path}.tmp`, path);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    expect(readFileSync(join(out, "modules", "Emr", "Emr.psd1"), "utf8")).toContain("(renamed over)");
    // Then written in place (Node 20's recursive fs.watch on Linux lost these).
    writeFileSync(path, readFileSync(path, "utf8").replace("(renamed over)", "(in place)"));
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    expect(readFileSync(join(out, "modules", "Emr", "Emr.psd1"), "utf8")).toContain("(in place)");
  });

  it("leaves the output as it was while the sources have an error, and rebuilds when it is fixed", async () => {
    const before = snapshot(out);
    edit("modules/emr/index.ts", 'version: "2.1.0"', 'version: "two"');
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuild failed \(1 error\); the output is unchanged/);
    expect(watcher.lines.some((l) => l.includes("FF2"))).toBe(true);
    expect(snapshot(out)).toEqual(before);

    edit("modules/emr/index.ts", 'version: "two"', 'version: "2.2.0"');
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt in \d+ ms: \d+ written/);
    expect(readFileSync(join(out, "modules", "Emr", "Emr.psd1"), "utf8")).toContain("ModuleVersion = '2.2.0'");
  });

  it("reports a rebuild that blows up inside fleetform as FF9001, without a stack trace, and goes on", async () => {
    const before = snapshot(out);
    const path = join(repo, "modules", "emr", "index.ts");
    const good = readFileSync(path, "utf8");
    // A module whose definition throws when fleetform reads it: evaluation passes, the check blows up.
    const hostile = good.replace(/export const module = (defineModule\(\{[\s\S]*?\n\}\));/, 'export const module = new Proxy($1, { get(target, key, receiver) { if (key === "description") throw new Error("boom from a getter"); return Reflect.get(target, key, receiver); } });');
    expect(hostile).not.toBe(good);
    const from = watcher.lines.length;
    writeFileSync(path, hostile);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuild failed \(1 error\)/);
    const printed = watcher.lines.slice(from);
    expect(printed.some((l) => /^stderr: error FF9001: internal error: boom from a getter \(in fleetform's lib\/compiler\/[\w/.-]+\.js:\d+; please report it\)$/.test(l)), printed.join("\n")).toBe(true);
    // No stack frame, no absolute path.
    expect(printed.filter((l) => /^stderr:\s+at |node:internal|file:\/\//.test(l) || l.includes(repoRoot))).toEqual([]);
    expect(snapshot(out)).toEqual(before);

    writeFileSync(path, good);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: (no changes \(\d+ ms\): the build passes again|rebuilt)/);
  });

  it("reports a type error from the background check after writing, and says when it is fixed", async () => {
    // Evaluates fine (so the rebuild writes), but is a type error.
    const path = join(repo, "modules", "emr", "index.ts");
    const before = readFileSync(path, "utf8");
    writeFileSync(path, `${before}\nexport const port: number = "8443";\n`);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: no changes \(\d+ ms\)$/);
    expect(await watcher.next(/^fleetform: the type check/, 120)).toMatch(/found 1 error \(/);
    expect(watcher.lines.some((l) => l.includes("TS2322"))).toBe(true);
    writeFileSync(path, before);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: no changes/);
    expect(await watcher.next(/^fleetform: the type check/, 120)).toBe("fleetform: the type check and PowerShell parse pass again");
  }, 300_000);

  it("prints a warning of the background check (FF3071) once, when it appears, and says when it is gone", async () => {
    // (a warning alone was never printed: only a check with errors printed its findings)
    const path = join(repo, "modules", "emr", "index.ts");
    const before = readFileSync(path, "utf8");
    const probe = (read: string): string => `${before}\nexport const probe = resource({ name: "EmrProbe", description: "probe", properties: { name: t.string({ key: true }) }, get: ({ name }) => ps\`@{ Name = \${name} }\`, test: () => ps\`$result = 1; ${read} -eq 1\`, set: () => ps\`Write-Verbose 'x'\` });\n`;
    writeFileSync(path, probe("$reslt"));
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    const from = watcher.lines.length;
    expect(await watcher.next(/^fleetform: the type check/, 120)).toBe("fleetform: the type check or PowerShell parse found 1 new warning (above; the output passes `fleetform build`)");
    expect(watcher.lines.slice(from).filter((l) => /warning FF3071: the test of resource EmrProbe reads \$reslt/.test(l))).toHaveLength(1);
    // An edit elsewhere: the same warning is not printed again.
    writeFileSync(path, probe("$reslt").replace("description: \"probe\"", "description: \"probe (edited)\""));
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    const again = watcher.lines.length;
    writeFileSync(path, probe("$result"));
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    expect(await watcher.next(/^fleetform: the type check/, 120)).toBe("fleetform: the type check and PowerShell parse pass again");
    expect(watcher.lines.slice(again).filter((l) => /FF3071/.test(l))).toEqual([]);
    writeFileSync(path, before);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
  }, 300_000);

  // The check of a rebuild is stale as soon as a source changes: its processes (pwsh, tsc) would
  // only take CPU from the next rebuild. They are stopped, and only the newest rebuild's check reports.
  it.runIf(process.platform === "linux")("stops the background check that runs when a source changes, and checks the newest rebuild", async () => {
    const path = join(repo, "modules", "emr", "index.ts");
    const before = readFileSync(path, "utf8");
    writeFileSync(path, before.replace("The EMR application", "The EMR application (checked)") + '\nexport const port: number = "8443";\n');
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    // (processes the session keeps, such as esbuild's service, are not the check's)
    const kept = descendants(watcher.pid);
    // Its check starts once the sources are quiet; pwsh (new texts: the module's manifest changed) takes seconds to start.
    let running = new Map<number, string>();
    for (let waited = 0; waited < 60_000 && ![...running.values()].some((c) => c.includes("check-fragments.ps1")); waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      running = new Map([...descendants(watcher.pid)].filter(([pid]) => !kept.has(pid)));
    }
    expect([...running.values()].some((c) => c.includes("check-fragments.ps1")), "the background check started pwsh").toBe(true);
    const reportsBefore = watcher.lines.filter((l) => /^fleetform: the type check/.test(l)).length;
    writeFileSync(path, before.replace("The EMR application", "The EMR application (checked again)") + '\nexport const port: number = "8443";\n');
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    // Every process of the stale check is gone soon after the edit (unstopped, pwsh alone would take seconds more).
    for (let waited = 0; waited < 3000 && [...running.keys()].some(alive); waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect([...running].filter(([pid]) => alive(pid)).map(([, command]) => command).join("\n")).toBe("");
    expect(await watcher.next(/^fleetform: the type check/, 120)).toMatch(/found 1 error \(/);
    expect(watcher.lines.filter((l) => /^fleetform: the type check/.test(l)).length).toBe(reportsBefore + 1);
    writeFileSync(path, before);
    expect(await watcher.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    expect(await watcher.next(/^fleetform: the type check/, 120)).toBe("fleetform: the type check and PowerShell parse pass again");
  }, 300_000);
});

describe("fleetform build --watch after a failed first build", () => {
  it("replaces the whole output folder with its first good build (no files of an older one are left)", async () => {
    const repo2 = join(parent, "repo2");
    const out2 = join(parent, "out2");
    copyDocutap(repo2);
    mkdirSync(join(out2, "modules", "Gone"), { recursive: true });
    writeFileSync(join(out2, "modules", "Gone", "Gone.psm1"), "# from an older build\n");
    // (fleetform's marker: the folder is an older build's, fleetform's to replace)
    writeFileSync(join(out2, ".fleetform-output"), "");
    const emr = join(repo2, "modules", "emr", "index.ts");
    const good = readFileSync(emr, "utf8");
    writeFileSync(emr, good.replace('version: "2.1.0"', 'version: "two"'));
    const watcher2 = startWatch(repo2, out2);
    await watcher2.next(/^fleetform: the first build failed/);
    writeFileSync(emr, good);
    expect(await watcher2.next(/^fleetform: (rebuilt|no changes|rebuild failed)/)).toMatch(/^fleetform: rebuilt/);
    expect(listFiles(out2)).not.toContain("modules/Gone/Gone.psm1");
    expect(listFiles(out2)).toContain("manifest.json");
  });
});
