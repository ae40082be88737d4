// The build's whole-file check (FileCheck in compiler/powershell/FragmentCheck.cs, run by
// parse-files.ps1 in the fragment check's pwsh process) parses the generated files on every core and
// answers in input order. Checked by mutation on examples/docutap's real output: every third file
// broken (a .ps1/.psm1 that does not parse, a .psd1 that is not data) must be found, with the errors
// PowerShell's parser gives the same text read from disk by another script (test/pwsh/parse-files.ps1),
// and no other file; the untouched output gives nothing.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { powershellFiles } from "../../compiler/phases/4-emit/verify-powershell.js";
import { findPwsh, fragmentCheckEnv, startFragmentParser, type FileFinding } from "../../compiler/powershell/pwsh.js";
import { packageAsset } from "../../compiler/util/package.js";
import { parseWithPowerShell, repoRoot } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

const dir = mkdtempSync(join(tmpdir(), "ff-file-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A .psd1 whose table gets a value that is not a constant; any other file an `if` never closed, mid-file. */
function mutate(file: { path: string; text: string }): string {
  if (file.path.endsWith(".psd1")) {
    const at = file.text.indexOf("@{");
    if (at < 0) throw new Error(`${file.path} has no table`);
    return `${file.text.slice(0, at + 2)}\n    Pwned = (Invoke-Pwned)${file.text.slice(at + 2)}`;
  }
  // (at the end, where a file that parses is at its top level: a line in its middle may be inside a comment or here-string)
  return `${file.text}\nif ($x {`;
}

describe("the generated-file check", () => {
  it("finds every broken file, as PowerShell's parser does, in input order, and nothing else", async () => {
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const result = await sharedCompile(join(repoRoot, "examples", "docutap"));
    expect(result.ok).toBe(true);
    const files = powershellFiles(result.files);
    // (enough files for both cores, and each kind)
    expect(files.length).toBeGreaterThan(30);
    for (const ext of [".ps1", ".psm1", ".psd1"]) expect(files.some((f) => f.path.endsWith(ext)), ext).toBe(true);
    const check = async (sent: { path: string; text: string }[]): Promise<FileFinding[]> => {
      const parser = startFragmentParser(pwsh);
      try {
        return await parser.parseFiles(sent);
      } finally {
        parser.dispose();
      }
    };
    expect(await check(files)).toEqual([]);

    const mutated = files.map((f, i) => (i % 3 === 0 ? { path: f.path, text: mutate(f) } : f));
    const broken = mutated.filter((_, i) => i % 3 === 0);
    expect(broken.filter((f) => f.path.endsWith(".psd1")).length).toBeGreaterThan(0);
    expect(broken.filter((f) => !f.path.endsWith(".psd1")).length).toBeGreaterThan(0);
    // The same texts on disk, parsed whole by PowerShell in a script of the tests' own.
    const onDisk = new Map(
      broken.map((f) => {
        const path = join(dir, f.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.text, "utf8");
        return [f.path, path];
      }),
    );
    const parsed = parseWithPowerShell([...onDisk.values()]);
    const expected = broken.flatMap((f) => {
      const errors = parsed.get(onDisk.get(f.path)!)!;
      if (f.path.endsWith(".psd1")) {
        // Parses: refused as data, at its table.
        expect(errors, f.path).toEqual([]);
        const before = f.text.slice(0, f.text.indexOf("@{")).split("\n");
        return [{ path: f.path, line: before.length, column: before.at(-1)!.length + 1, kind: "data", message: expect.stringMatching(/SafeGetValue.*dynamic expressions.*Invoke-Pwned/s) }];
      }
      expect(errors.length, f.path).toBeGreaterThan(0);
      return errors.map((e) => ({ path: f.path, line: e.line, column: e.column, kind: "syntax", message: e.message }));
    });
    expect(await check(mutated)).toEqual(expected);

    // Sent in batches, as a build sends each module's files while it emits the next: each batch's
    // findings are its own files', the same as sent at once, in a process a build leaves for the
    // next (whose turn, fragments then files, still works after a turn of batches).
    const parser = startFragmentParser(pwsh, { keep: true });
    try {
      await parser.parse([], { more: true });
      const third = Math.ceil(mutated.length / 3);
      const batches = [mutated.slice(0, third), mutated.slice(third, 2 * third), mutated.slice(2 * third)];
      const answers = await Promise.all(batches.map((batch, i) => parser.parseFiles(batch, { more: i < 2 })));
      answers.forEach((answer, i) => expect(answer.every((f) => batches[i]!.some((b) => b.path === f.path))).toBe(true));
      expect(answers.flat()).toEqual(expected);
      await expect(parser.parseFiles([])).rejects.toThrow(/no files can follow/);
    } finally {
      parser.dispose();
    }
    const next = startFragmentParser(pwsh, { keep: true });
    try {
      expect((await next.parse([{ id: "x", text: "if (" }], { more: true })).map((r) => r.id)).toEqual(["x"]);
      expect(await next.parseFiles(mutated.slice(0, 1))).toEqual(expected.filter((f) => f.path === mutated[0]!.path));
    } finally {
      next.dispose();
    }
  }, 600_000);
});

describe("the check's process when its build goes away", () => {
  // A build killed in the middle of a turn (a watch session's background check when the session is
  // stopped with kill): pwsh's stdin ends between two batches of files. The process must end, not
  // go on reading an input that has ended (it did, at a core's full speed, as an orphan).
  it("ends when its input ends in the middle of a turn", { timeout: 60_000 }, async () => {
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const child = spawn(pwsh.command[0]!, [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", packageAsset("fragmentCheck")], { env: fragmentCheckEnv(pwsh), stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    let stdout = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const answers = async (n: number): Promise<void> => {
      const until = Date.now() + 30_000;
      while (stdout.split("\n").length - 1 < n) {
        if (Date.now() > until) throw new Error(`no answer ${n}: ${stdout}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // The fragments, answered; a first batch of files, answered; then the input ends, before the
    // turn's closing [] (the files' loop waits for the next batch).
    child.stdin!.write(`${JSON.stringify([{ id: "a", text: "Get-Date" }])}\n`);
    await answers(1);
    child.stdin!.write(`${JSON.stringify([{ path: "modules/A/A.psm1", text: "function Get-A { 1 }" }])}\n`);
    await answers(2);
    child.stdin!.end();
    const code = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 15_000))]);
    if (code === "running") child.kill("SIGKILL");
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 2)).toEqual(["[]", "[]"]);
  });
});
