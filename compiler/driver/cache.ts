// The persistent build cache (defaultCacheDir(), or --cache-dir; off with --no-cache): what
// a build computed, kept on disk for the next build in another process, by content hash.
//
// Keys: every entry lives under a folder named by the fingerprint of the running fleetform (its
// version, its own code and assets, the TypeScript and esbuild versions, Node.js's version), so an
// upgrade never reads what an older fleetform wrote; inside, an entry's key is a sha256 of what
// its value is computed from.
//
// Safety: an entry is written to a temporary file of its own and renamed into place (atomic), so
// two builds at once each write whole entries and the last rename wins; a reader checks the
// header and the body's sha256, and anything missing, torn, corrupt or of another format is a
// miss, never an error. Failing to write the cache (read-only disk, full disk) is not an error
// either: the build just does not keep its results. Entries are pruned by last use (a hit
// touches its entry) when the folder grows beyond MAX_BYTES. Deleting the folder is always safe.
import { createHash } from "node:crypto";
import { threadId } from "node:worker_threads";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, type Dirent } from "node:fs";
import { rename, unlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve, sep } from "node:path";
import { cacheFingerprint } from "../util/package.js";
import { OUTPUT_MARKER } from "./write.js";
import { TS_EXTENSIONS } from "../phases/1-load/sources.js";

/**
 * The default cache folder: the user's cache folder (XDG_CACHE_HOME, else ~/.cache; on Windows
 * %LOCALAPPDATA%), not the config repo, so that a build (a failed one above all) leaves the repo as
 * it was and every clone of a repo shares the cache; CodeBuild keeps it between builds through the
 * buildspec's `cache: paths:` (/root/.cache/fleetform on its Linux images).
 */
export function defaultCacheDir(): string {
  if (process.platform === "win32" && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, "fleetform", "cache");
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "fleetform");
}

/** The cache is pruned to this size (least recently used entries first). */
export const MAX_BYTES = 256 * 1024 * 1024;

const FORMAT = "fleetform-cache 1";

/** Numbers this process's temporary files (with its pid and thread: no other writer has the same name). */
let tmpCount = 0;

export class DiskCache {
  /** The folder of this fleetform's entries (`<dir>/<fingerprint>`). */
  readonly #base: string;
  #wrote = false;
  /**
   * With `writeBehind`: entries put and not yet on disk (file → its whole bytes, header and body),
   * read from here meanwhile, and the write of each (one after another per file: the last put wins).
   */
  readonly #pending = new Map<string, { readonly body: Uint8Array; readonly written: Promise<void> }>();

  private constructor(
    /** The cache folder (absolute). */
    readonly dir: string,
    readonly fingerprint: string,
    /**
     * Entries are written by Node.js's thread pool while the build goes on (the build's own thread
     * pays no file system calls for them; a cold build writes thousands): flush() waits for them.
     */
    private readonly writeBehind: boolean,
  ) {
    this.#base = join(dir, fingerprint.slice(0, 16));
  }

  /**
   * The cache in `dir` (--cache-dir, relative to the working folder), else in defaultCacheDir().
   * `writeBehind`: see the constructor (the CLI's build, which flushes before it ends).
   */
  static open(dir?: string, { writeBehind = false }: { readonly writeBehind?: boolean } = {}): DiskCache {
    return new DiskCache(dir !== undefined ? resolve(dir) : defaultCacheDir(), cacheFingerprint(), writeBehind);
  }

  /** Waits until every entry put so far is on disk (or failed to be: never throws). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending.values()].map((p) => p.written));
  }

  /** The value kept for `kind`/`key`, or undefined (missing, torn, corrupt, another format: a miss). */
  get<T>(kind: string, key: string): T | undefined {
    const body = this.getBytes(kind, key);
    if (!body) return undefined;
    try {
      return JSON.parse(body.toString("utf8")) as T;
    } catch {
      return undefined;
    }
  }

  /** The bytes kept for `kind`/`key` by put() or putBytes(), or undefined (missing, torn, corrupt: a miss). */
  getBytes(kind: string, key: string): Buffer | undefined {
    const file = this.#file(kind, key);
    // (an entry still being written is this build's own: as it was put)
    const pending = this.#pending.get(file);
    if (pending) return Buffer.from(pending.body.buffer, pending.body.byteOffset, pending.body.byteLength);
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      return undefined;
    }
    const nl = data.indexOf(10);
    if (nl < 0) return undefined;
    const header = data.subarray(0, nl).toString("utf8");
    const body = data.subarray(nl + 1);
    if (header !== `${FORMAT} ${kind} ${key} ${createHash("sha256").update(body).digest("hex")}`) return undefined;
    // Last use, for pruning (the least recently used go first).
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // pruned or replaced meanwhile: the value read is whole all the same
    }
    return body;
  }

  /** Keeps `value` (JSON) for `kind`/`key`: written aside, then renamed into place. Never throws. */
  put(kind: string, key: string, value: unknown): void {
    let body: Buffer;
    try {
      body = Buffer.from(JSON.stringify(value), "utf8");
    } catch {
      return;
    }
    this.putBytes(kind, key, body);
  }

  /** Keeps `body` (bytes, e.g. V8's code cache) for `kind`/`key`, as put() does. Never throws. */
  putBytes(kind: string, key: string, body: Uint8Array): void {
    const file = this.#file(kind, key);
    // (this process's and thread's own name: random bytes per entry cost a cold build tens of ms)
    const tmp = `${file}.tmp-${process.pid}-${threadId}-${++tmpCount}`;
    try {
      const header = `${FORMAT} ${kind} ${key} ${createHash("sha256").update(body).digest("hex")}\n`;
      this.#ensureFolder(join(this.#base, kind));
      const data = Buffer.concat([Buffer.from(header, "utf8"), body]);
      if (this.writeBehind) {
        this.#writeBehind(file, tmp, data, body);
        return;
      }
      writeFileSync(tmp, data);
      renameSync(tmp, file);
      this.#wrote = true;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // never made
      }
    }
  }

  /** putBytes' write on the thread pool, after the file's earlier one; read from #pending until it is done. */
  #writeBehind(file: string, tmp: string, data: Buffer, body: Uint8Array): void {
    this.#wrote = true;
    const before = this.#pending.get(file)?.written ?? Promise.resolve();
    const written = before.then(async () => {
      try {
        await writeFile(tmp, data);
        await rename(tmp, file);
      } catch {
        await unlink(tmp).catch(() => undefined);
      }
      if (this.#pending.get(file)?.written === written) this.#pending.delete(file);
    });
    this.#pending.set(file, { body, written });
  }

  /**
   * After a build that wrote entries: removes other fingerprints' folders (an older or newer
   * fleetform's), temporary files a killed build left, and the least recently used entries while the
   * cache is larger than `maxBytes`. Never throws; entries another build reads meanwhile are a miss.
   */
  prune(maxBytes = MAX_BYTES): void {
    if (!this.#wrote) return;
    try {
      const mine = this.#base.slice(this.dir.length + 1);
      for (const name of readdirSync(this.dir)) {
        if (name !== mine && /^[0-9a-f]{16}$/.test(name)) rmSync(join(this.dir, name), { recursive: true, force: true });
      }
      const entries: { path: string; size: number; used: number }[] = [];
      const hourAgo = Date.now() - 3600_000;
      for (const kind of readdirSync(this.#base)) {
        const folder = join(this.#base, kind);
        for (const name of readdirSync(folder)) {
          const path = join(folder, name);
          let stat;
          try {
            stat = statSync(path);
          } catch {
            continue;
          }
          // A temporary file older than any build: its writer was killed.
          if (name.includes(".tmp-")) {
            if (stat.mtimeMs < hourAgo) rmSync(path, { force: true });
            continue;
          }
          entries.push({ path, size: stat.size, used: stat.mtimeMs });
        }
      }
      let total = entries.reduce((n, e) => n + e.size, 0);
      if (total <= maxBytes) return;
      entries.sort((a, b) => a.used - b.used);
      for (const e of entries) {
        if (total <= maxBytes) break;
        rmSync(e.path, { force: true });
        total -= e.size;
      }
    } catch {
      // another build pruned it first, or the folder is gone
    }
  }

  /**
   * A file for a tool to keep its own state in (tsc's build info), by kind and key; its folder
   * exists. The tool's writes must be atomic too (write aside, rename).
   */
  path(kind: string, key: string): string {
    const file = this.#file(kind, key).replace(/\.json$/, ".data");
    try {
      this.#ensureFolder(join(this.#base, kind));
      this.#wrote = true;
    } catch {
      // the tool's write will fail and it carries on without its state
    }
    return file;
  }

  #file(kind: string, key: string): string {
    if (!/^[a-z][a-z0-9-]*$/.test(kind) || !/^[0-9a-f]{64}$/.test(key)) throw new Error(`bad cache key ${kind}/${key}`);
    return join(this.#base, kind, `${key}.json`);
  }

  #ensureFolder(folder: string): void {
    if (existsSync(folder)) return;
    // The default folder's parent, .fleetform/, ignores itself in git (as `fleetform setup` makes it).
    const parent = resolve(this.dir, "..");
    if (parent.endsWith(`${sep}.fleetform`)) machineFolder(parent);
    mkdirSync(folder, { recursive: true });
  }
}

/**
 * Makes a config repo's .fleetform/ (the build cache, setup's tools, test results: the machine's,
 * not the repo's), which ignores itself in git.
 */
export function machineFolder(folder: string): void {
  mkdirSync(folder, { recursive: true });
  if (!existsSync(join(folder, ".gitignore"))) writeFileSync(join(folder, ".gitignore"), "*\n");
}

/** Folders of a config repo that are never a build's input. */
const NOT_INPUT = new Set([".git", "node_modules", ".fleetform"]);

/**
 * The digest of everything of the config repo a build may read: every file under `root` (path and
 * bytes) but .git, node_modules, .fleetform, the cache folder and fleetform output folders (those
 * holding OUTPUT_MARKER); and the packages installed in node_modules (npm's
 * node_modules/.package-lock.json, rewritten by every install). Symbolic links are followed to
 * files, not into folders (a folder link is hashed as its target's path).
 */
export function inputDigest(root: string, cacheDir: string): string {
  return inputDigests(root, cacheDir).inputs;
}

/**
 * inputDigest()'s `inputs`, and in the same walk `others`: the digest of the same inputs but the
 * author's TypeScript sources (their paths count, their texts not), for results keyed by the texts
 * of the few sources they come from (3-lower's modules, by the sources they import).
 */
export function inputDigests(root: string, cacheDir: string): { inputs: string; others: string } {
  const h = createHash("sha256");
  const o = createHash("sha256");
  const skip = resolve(cacheDir);
  const walk = (dir: string, rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (rel !== "" && entries.some((e) => e.name === OUTPUT_MARKER)) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      const name = rel + e.name;
      if (e.isDirectory()) {
        if ((rel === "" && NOT_INPUT.has(e.name)) || e.name === "node_modules" || e.name === ".git" || path === skip) continue;
        walk(path, `${name}/`);
        continue;
      }
      let bytes: Buffer | string;
      try {
        bytes = e.isSymbolicLink() && statSync(path).isDirectory() ? `link:${readlinkSync(path)}` : readFileSync(path);
      } catch {
        bytes = "unreadable";
      }
      const b = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
      const head = `${Buffer.byteLength(name)}:${name}${b.length}:`;
      h.update(head);
      h.update(b);
      if (typeof bytes === "string" || !TS_EXTENSIONS.some((ext) => e.name.endsWith(ext))) {
        o.update(head);
        o.update(b);
      } else o.update(`${Buffer.byteLength(name)}:${name}:source;`);
    }
  };
  walk(root, "");
  let packages: Buffer | string;
  try {
    packages = readFileSync(join(root, "node_modules", ".package-lock.json"));
  } catch {
    packages = "no node_modules/.package-lock.json";
  }
  h.update(packages);
  o.update(packages);
  return { inputs: h.digest("hex"), others: o.digest("hex") };
}
