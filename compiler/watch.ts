// `fleetform build --watch`: rebuild on every change of the config repo and rewrite only the
// artifacts whose content changed. A rebuild writes as soon as fleetform's own checks pass; the
// TypeScript type check and the PowerShell parse of fragments then run in the background and their
// findings are printed when they arrive (`fleetform build`, as CI runs it, waits for them).
import { watch as watchFolder } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { compile, type CompileResult } from "./compile.js";
import { formatDiagnostics } from "./diagnostics/format.js";
import { sha256 } from "./util/hash.js";
import { writeChanged, writeOutput } from "./write.js";

export interface WatchIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const IGNORED = /(^|[\\/])(node_modules|\.git)([\\/]|$)/;

function digests(result: CompileResult): Map<string, string> {
  return new Map(result.files.map((f) => [f.path, sha256(typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content)]));
}

/** Runs until the process is stopped. Returns only if the first build cannot start watching. */
export async function watchBuild(io: WatchIo, root: string, outOption: string | undefined): Promise<number> {
  const print = (result: CompileResult): void => {
    const text = formatDiagnostics(result.diagnostics, (f) => result.sources.get(f));
    if (text) io.stderr(text);
  };

  // The first build is a full one, written atomically.
  const first = await compile({ root });
  print(first);
  let out = outOption !== undefined ? resolve(outOption) : resolve(root, first.out ?? "dist");
  let previous = new Map<string, string>();
  if (first.ok) {
    writeOutput(out, first.files);
    previous = digests(first);
    io.stdout(`fleetform: wrote ${first.files.length} files to ${relative(process.cwd(), out) || "."}; watching ${relative(process.cwd(), root) || "."} for changes\n`);
  } else {
    io.stdout("fleetform: the first build failed; watching for changes\n");
  }

  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let background = 0;

  const rebuild = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await rebuildOnce();
    } catch (e) {
      io.stderr(`fleetform: internal error during the rebuild: ${(e as Error).stack ?? String(e)}\n`);
    }
    running = false;
    if (again) {
      again = false;
      await rebuild();
    }
  };

  const rebuildOnce = async (): Promise<void> => {
    const started = performance.now();
    const result = await compile({ root, typecheck: false, pwshCheck: false });
    if (!result.ok) {
      print(result);
      io.stdout(`fleetform: rebuild failed (${result.diagnostics.filter((d) => d.severity === "error").length} errors); the output is unchanged\n`);
    } else {
      if (result.out !== undefined && outOption === undefined) out = resolve(root, result.out);
      const next = digests(result);
      const changed = result.files.filter((f) => previous.get(f.path) !== next.get(f.path));
      const removed = [...previous.keys()].filter((p) => !next.has(p));
      if (changed.length === 0 && removed.length === 0) {
        io.stdout(`fleetform: no changes (${Math.round(performance.now() - started)} ms)\n`);
      } else {
        writeChanged(out, changed, removed);
        previous = next;
        const names = [...changed.map((f) => f.path), ...removed.map((p) => `-${p}`)];
        io.stdout(`fleetform: rebuilt in ${Math.round(performance.now() - started)} ms: ${changed.length} written, ${removed.length} removed (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", ..." : ""})\n`);
      }
      // The slower checks, in the background; a newer rebuild makes their findings stale.
      const mine = ++background;
      void compile({ root, emit: false }).then((checked) => {
        if (mine !== background) return;
        const errors = checked.diagnostics.filter((d) => d.severity === "error");
        if (errors.length > 0) {
          print(checked);
          io.stdout(`fleetform: the type check or PowerShell parse found ${errors.length} errors (the output above does not pass \`fleetform build\`)\n`);
        }
      });
    }
  };

  const outPrefix = (p: string): boolean => p === out || p.startsWith(out + sep);
  watchFolder(root, { recursive: true }, (_event, name) => {
    if (!name) return;
    if (process.env.FLEETFORM_WATCH_DEBUG) io.stderr(`event ${_event} ${name.toString()}\n`);
    const path = resolve(root, name.toString());
    if (IGNORED.test(name.toString()) || outPrefix(path) || /\.fleetform-(new|old)-/.test(path)) return;
    // Editors and sed write a temporary file and rename it over the source: a rename anywhere counts.
    if (_event !== "rename" && !/\.(m|c)?ts$/.test(path)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 30);
  });
  return new Promise<number>(() => undefined);
}
