// README.md and docs/ against the code: the exit code table equals compiler/cli/exit-codes.ts, every
// FF code they name is in the catalogue, and every relative link and every repository path they
// name exists inside the repository (test/e2e/package.test.ts checks the links again against
// the packed tarball: the files a user gets).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as exitCodes from "../../compiler/cli/exit-codes.js";
import { messages } from "../../compiler/diagnostics/messages.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const docs = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const read = (doc: string): string => readFileSync(join(repo, doc), "utf8");
/** The text outside fenced code blocks (examples may name anything). */
const prose = (text: string): string => text.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, "");

/** Relative link targets of a Markdown text (inline links and reference definitions). */
export function linkTargets(text: string): string[] {
  const body = prose(text);
  return [...body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...body.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$/gm)]
    .map((m) => m[1]!)
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith("#"));
}

/** What is wrong with a relative link of `doc` (undefined: it resolves to a file or folder of the repository). */
export function linkProblem(doc: string, target: string, exists: (path: string) => boolean): string | undefined {
  const file = decodeURIComponent(target.split("#")[0]!);
  const resolved = posix.normalize(posix.join(posix.dirname(doc), file));
  if (resolved.startsWith("../") || resolved === ".." || posix.isAbsolute(file)) return "points outside the repository";
  return exists(resolved) ? undefined : "does not exist";
}

/** Paths a text names in code spans: `compiler/x.ts`, `../x`, `docs/runtime.md` (not globs or placeholders). */
export function namedPaths(text: string): string[] {
  return [...prose(text).matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((p) => /^(\.\.\/|(bin|compiler|docs|examples|schemas|scripts|stdlib|test|bench)\/)/.test(p) && !/[*{}<>$]/.test(p));
}

const inRepo = (path: string): boolean => existsSync(join(repo, path)) && !relative(repo, join(repo, path)).startsWith("..");

describe("README.md and docs/", () => {
  it("are found", () => {
    expect(docs).toContain("README.md");
    expect(docs).toContain("docs/runtime.md");
  });

  it("list the exit codes of compiler/cli/exit-codes.ts in README's table", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("\n### Exit codes\n"));
    expect(section.length).toBeLessThan(readme.length);
    const table = section.split("\n## ")[0]!;
    const rows = [...table.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => Number(m[1]));
    const constants = Object.entries(exitCodes)
      .filter(([name, value]) => name.startsWith("EXIT_") && typeof value === "number")
      .map(([, value]) => value as number);
    expect(constants.length).toBeGreaterThanOrEqual(6);
    expect(rows).toEqual([...constants].sort((a, b) => a - b));
  });

  it("name only FF codes of the catalogue", () => {
    const known = new Set<string>(Object.values(messages).map((m) => m.code));
    const unknown = docs.flatMap((doc) => [...read(doc).matchAll(/\bFF\d{4}\b/g)].map((m) => m[0]).filter((code) => !known.has(code)).map((code) => `${doc}: ${code}`));
    expect(unknown).toEqual([]);
  });

  it("link only to files inside the repository", () => {
    let links = 0;
    const broken: string[] = [];
    for (const doc of docs) {
      for (const target of linkTargets(read(doc))) {
        links++;
        const problem = linkProblem(doc, target, inRepo);
        if (problem) broken.push(`${doc}: ${target} ${problem}`);
      }
    }
    expect(links).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  it("name only paths of the repository", () => {
    const named = docs.flatMap((doc) => namedPaths(read(doc)).map((p) => ({ doc, p })));
    expect(named.length).toBeGreaterThan(10);
    const missing = named.filter(({ p }) => p.startsWith("../") || !inRepo(p.replace(/\/$/, ""))).map(({ doc, p }) => `${doc}: \`${p}\``);
    expect(missing).toEqual([]);
  });

  it("the checks catch a link or path outside the repository and a missing file", () => {
    const exists = (p: string): boolean => p === "docs/runtime.md" || p === "compiler";
    expect(linkProblem("README.md", "docs/runtime.md#log-lines", exists)).toBeUndefined();
    expect(linkProblem("docs/runtime.md", "../compiler", exists)).toBeUndefined();
    expect(linkProblem("README.md", "../shared/STYLE.md", exists)).toBe("points outside the repository");
    expect(linkProblem("docs/runtime.md", "../../x.md", exists)).toBe("points outside the repository");
    expect(linkProblem("README.md", "docs/gone.md", exists)).toBe("does not exist");
    expect(linkTargets("[a](docs/a.md) [b](https://x.org) [c](#top)\n```\n[d](in/a/fence.md)\n```\n[e]: ../e.md\n")).toEqual(["docs/a.md", "../e.md"]);
    expect(namedPaths("see `../shared/STYLE.md`, `compiler/cli.ts`, `compiler/phases/{1-load,2-check}`, `dist/`")).toEqual(["../shared/STYLE.md", "compiler/cli.ts"]);
  });
});

describe("README's Commands block", () => {
  it("lists, for each command, exactly the options it takes (COMMAND_OPTIONS)", async () => {
    const { COMMAND_OPTIONS } = await import("../../compiler/cli/index.js");
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const block = /## Commands\n\n```\n([\s\S]*?)```/.exec(readme)![1]!;
    const listed = new Map<string, Set<string>>();
    let current: string | undefined;
    for (const line of block.split("\n")) {
      const start = /^fleetform (\w+)/.exec(line);
      if (start) current = start[1];
      else if (!/^\s+\[/.test(line)) continue; // (a description line: only the synopsis' own lines count)
      const synopsis = line.trimStart().split(/\s{3,}/)[0]!;
      for (const m of synopsis.matchAll(/--([a-z-]+)/g)) {
        if (!listed.has(current!)) listed.set(current!, new Set());
        listed.get(current!)!.add(m[1]!);
      }
    }
    for (const [command, options] of Object.entries(COMMAND_OPTIONS)) {
      expect([...(listed.get(command) ?? [])].sort(), `fleetform ${command}`).toEqual([...options].sort());
    }
  });
});
