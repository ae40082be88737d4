// Watches every folder of a tree, one fs.watch per folder. Node 20's `recursive` fs.watch on Linux
// follows files, not folders: once an editor (or sed -i) replaced a file by renaming another over
// it, later in-place writes to that file went unseen. A folder's watch reports changes to whatever
// file has a name in it.
import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";

export interface TreeWatcher {
  close(): void;
}

/**
 * Calls `onEvent` with the event, the absolute path of the entry that changed and whether it is (or,
 * removed, was) a watched folder. Folders for
 * which `skip` is true are not watched (nor anything below them); new folders are watched as they
 * appear, removed ones forgotten.
 */
export function watchTree(
  root: string,
  skip: (dir: string) => boolean,
  onEvent: (event: "rename" | "change", path: string, isFolder: boolean) => void,
  onProblem: (dir: string, error: Error) => void = () => undefined,
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();

  const watchFolder = (dir: string): void => {
    if (watchers.has(dir) || skip(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (event, name) => {
        if (!name) return;
        const path = join(dir, name.toString());
        // A folder now, or one that was watched until it was removed or renamed away.
        let isFolder = watchers.has(path);
        if (event === "rename") {
          try {
            isFolder = statSync(path).isDirectory() || isFolder;
          } catch {
            forget(path);
          }
          if (isFolder) watchBelow(path);
        }
        onEvent(event, path, isFolder);
      });
    } catch (e) {
      // Gone already: nothing to say. Anything else (ENOSPC: the system's limit of watches) is.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") onProblem(dir, e as Error);
      return;
    }
    watcher.on("error", () => forget(dir));
    watchers.set(dir, watcher);
  };

  const watchBelow = (dir: string): void => {
    if (skip(dir)) return;
    watchFolder(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) watchBelow(join(dir, e.name));
  };

  const forget = (dir: string): void => {
    for (const [path, watcher] of watchers) {
      if (path === dir || path.startsWith(dir + "/") || path.startsWith(dir + "\\")) {
        watcher.close();
        watchers.delete(path);
      }
    }
  };

  watchBelow(root);
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
