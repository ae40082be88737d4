// Where the plan's base comes from: a folder as it is, or a git ref whose tree of the config repo is
// copied into a temporary folder (git ls-tree + git cat-file --batch: no tar, no worktree to prune).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface BaseSource {
  /** The config repo to compile. */
  readonly root: string;
  /** How the plan names it: the folder as given, or "<ref> (<short commit>)". */
  readonly label: string;
  /** Removes what was materialised (nothing for a folder). */
  readonly cleanup: () => void;
}

/** Why a base could not be had: `usage` when --base names neither a folder nor a commit (exit 2), else an input problem (exit 1). */
export interface BaseProblem {
  readonly problem: string;
  readonly usage: boolean;
}

const CONFIG_FILE = "fleetform.config.ts";

/**
 * A folder wins over a ref of the same name. A ref is looked up in the git repository holding
 * `headRoot`, and the tree of headRoot's path inside that repository is materialised.
 */
export function resolveBase(spec: string, headRoot: string, cwd: string = process.cwd()): BaseSource | BaseProblem {
  const folder = resolve(cwd, spec);
  if (existsSync(folder) && statSync(folder).isDirectory()) return { root: folder, label: spec, cleanup: () => {} };
  if (spec.startsWith("-") || spec.trim() === "") return { problem: `--base '${spec}' is neither a folder nor a git ref`, usage: true };

  const top = git(headRoot, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) {
    return { problem: `--base '${spec}' is not a folder, and ${headRoot} is not in a git repository to look the ref up in (${top.error})`, usage: true };
  }
  const commit = git(headRoot, ["rev-parse", "--verify", "--quiet", `${spec}^{commit}`]);
  if (!commit.ok) return { problem: `--base '${spec}' is neither a folder nor a commit of the git repository at ${top.text.trim()}`, usage: true };
  const sha = commit.text.trim();
  const prefix = git(headRoot, ["rev-parse", "--show-prefix"]).text.trim().replace(/\/$/, "");
  const label = `${spec} (${sha.slice(0, 7)})`;

  // Entries of the config repo's folder at that commit, paths relative to the folder.
  // --full-tree: inside a subfolder, ls-tree would otherwise list only paths under the current folder.
  const listing = git(headRoot, ["ls-tree", "-r", "-z", "--full-tree", prefix ? `${sha}:${prefix}` : sha]);
  if (!listing.ok) return { problem: `${prefix || "the repository root"} does not exist at ${label}`, usage: false };
  const entries = parseLsTree(listing.text);
  if (!entries.some((e) => e.path === CONFIG_FILE)) {
    return { problem: `${prefix || "the repository root"} has no ${CONFIG_FILE} at ${label}`, usage: false };
  }
  const blobs = entries.filter((e) => e.type === "blob");
  const contents = catBlobs(headRoot, blobs.map((e) => e.object));
  if (typeof contents === "string") return { problem: `could not read ${label}: ${contents}`, usage: false };

  const tmp = mkdtempSync(join(tmpdir(), "fleetform-plan-"));
  const cleanup = (): void => rmSync(tmp, { recursive: true, force: true });
  try {
    blobs.forEach((e, i) => {
      const target = join(tmp, e.path);
      mkdirSync(dirname(target), { recursive: true });
      if (e.mode === "120000") {
        try {
          symlinkSync(contents[i]!.toString("utf8"), target);
        } catch {
          // Symbolic links may be unavailable (Windows without the privilege): the link is left out.
        }
      } else {
        writeFileSync(target, contents[i]!);
      }
    });
  } catch (e) {
    cleanup();
    return { problem: `could not materialise ${label}: ${(e as Error).message}`, usage: false };
  }
  return { root: tmp, label, cleanup };
}

export function isBaseProblem(b: BaseSource | BaseProblem): b is BaseProblem {
  return "problem" in b;
}

interface Entry {
  readonly mode: string;
  readonly type: string;
  readonly object: string;
  readonly path: string;
}

/** `<mode> SP <type> SP <object> TAB <path>` NUL-terminated (submodules, type commit, are skipped by the caller). */
function parseLsTree(text: string): Entry[] {
  const out: Entry[] = [];
  for (const record of text.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode, type, object] = record.slice(0, tab).split(" ");
    out.push({ mode: mode!, type: type!, object: object!, path: record.slice(tab + 1) });
  }
  return out;
}

/** Blob contents, in order, through one `git cat-file --batch`; a string on failure. */
function catBlobs(cwd: string, objects: readonly string[]): Buffer[] | string {
  if (objects.length === 0) return [];
  const r = spawnSync("git", ["-C", cwd, "cat-file", "--batch"], { input: objects.join("\n") + "\n", maxBuffer: 1 << 30 });
  if (r.error) return r.error.message;
  if (r.status !== 0) return r.stderr.toString("utf8").trim() || `git cat-file exited with ${r.status}`;
  const out: Buffer[] = [];
  const data = r.stdout;
  let at = 0;
  for (const object of objects) {
    const eol = data.indexOf(0x0a, at);
    const header = data.subarray(at, eol).toString("utf8").split(" ");
    if (header[0] !== object || header[1] !== "blob" || eol < 0) return `unexpected git cat-file output for ${object}: ${header.join(" ")}`;
    const size = Number(header[2]);
    out.push(Buffer.from(data.subarray(eol + 1, eol + 1 + size)));
    at = eol + 1 + size + 1;
  }
  return out;
}

function git(cwd: string, args: readonly string[]): { ok: boolean; text: string; error: string } {
  const r = spawnSync("git", ["-C", cwd, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) return { ok: false, text: "", error: r.error.message };
  return { ok: r.status === 0, text: r.stdout, error: r.stderr.trim() };
}
