// compiler/driver/write.ts: each reason an output folder (or the JUnit report's place) is refused
// for gives its own diagnostic code, naming the folder; a folder that is fleetform's passes.
// (test/e2e/output-folder.test.ts runs the common ones through the CLI and checks nothing changed.)
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OUTPUT_MARKER, OutputFolderError, outputFolderProblem, reportPathProblem, writeChanged, writeFailure } from "../../compiler/driver/write.js";

const base = mkdtempSync(join(tmpdir(), "ff-out-problems-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const repo = join(base, "repo");
mkdirSync(join(repo, "modules"), { recursive: true });
writeFileSync(join(repo, "fleetform.config.ts"), "");
writeFileSync(join(repo, "modules", "a.ts"), "");

function codeOf(out: string, sources: string[] = []): string | undefined {
  const d = outputFolderProblem(repo, out, sources);
  if (d) expect(d.message).toContain(out);
  return d?.code;
}

describe("outputFolderProblem: one code per reason", () => {
  it("passes a folder that does not exist, an empty one and fleetform's own", () => {
    expect(codeOf(join(repo, "dist"))).toBeUndefined();
    mkdirSync(join(base, "empty"));
    expect(codeOf(join(base, "empty"))).toBeUndefined();
    mkdirSync(join(base, "marked"));
    writeFileSync(join(base, "marked", OUTPUT_MARKER), "");
    writeFileSync(join(base, "marked", "x.ps1"), "");
    expect(codeOf(join(base, "marked"))).toBeUndefined();
  });

  it("FF1020 the config repo or above it; FF1030 .git or node_modules, or inside one", () => {
    expect(codeOf(repo)).toBe("FF1020");
    expect(codeOf(base)).toBe("FF1020");
    expect(codeOf(join(repo, ".git"))).toBe("FF1030");
    expect(codeOf(join(repo, "node_modules", "x"))).toBe("FF1030");
    expect(outputFolderProblem(repo, join(repo, ".git", "objects"))!.message).toContain("is inside a .git folder");
  });

  it("FF1031 another config repo; FF1032 a folder holding a source of the build", () => {
    const other = join(base, "other-repo");
    mkdirSync(other);
    writeFileSync(join(other, "fleetform.config.ts"), "");
    expect(codeOf(other)).toBe("FF1031");
    const d = outputFolderProblem(repo, join(repo, "modules"), [join(repo, "modules", "a.ts")]);
    expect(d?.code).toBe("FF1032");
    expect(d?.message).toContain("(modules/a.ts)");
  });

  it("FF1033 a symbolic link; FF1034 a file; FF1035 a folder of other files", () => {
    mkdirSync(join(base, "target"));
    symlinkSync(join(base, "target"), join(base, "link"));
    expect(codeOf(join(base, "link"))).toBe("FF1033");
    writeFileSync(join(base, "file"), "");
    expect(codeOf(join(base, "file"))).toBe("FF1034");
    mkdirSync(join(base, "photos"));
    writeFileSync(join(base, "photos", "cat.jpg"), "");
    expect(codeOf(join(base, "photos"))).toBe("FF1035");
  });

  it("FF1036 watch's folder that lost its marker: the write throws it, writeFailure reports it", () => {
    mkdirSync(join(base, "unmarked"));
    let thrown: unknown;
    try {
      writeChanged(join(base, "unmarked"), [{ path: "a.txt", content: "a" } as never], []);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(OutputFolderError);
    expect(writeFailure(join(base, "unmarked"), thrown).code).toBe("FF1036");
  });

  it("watch's write removes the folders only removed files were in, and no other", () => {
    const out = join(base, "watched");
    mkdirSync(join(out, "configurations", "Old", "sub"), { recursive: true });
    mkdirSync(join(out, "configurations", "Kept"), { recursive: true });
    writeFileSync(join(out, OUTPUT_MARKER), "");
    writeFileSync(join(out, "configurations", "Old", "sub", "Old.psm1"), "x");
    writeFileSync(join(out, "configurations", "Old", "Old.Tests.ps1"), "x");
    writeFileSync(join(out, "configurations", "Kept", "Kept.psm1"), "x");
    writeChanged(out, [{ path: "configurations/Kept/Kept.psm1", content: "y" } as never], ["configurations/Old/sub/Old.psm1", "configurations/Old/Old.Tests.ps1"]);
    expect(readdirSync(join(out, "configurations"))).toEqual(["Kept"]);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, "configurations"].sort());
  });
});

describe("reportPathProblem: the JUnit report's place", () => {
  it("FF1037 in a .git or node_modules folder; FF1038 a folder; else nothing", () => {
    expect(reportPathProblem(join(repo, ".git", "config"), repo)?.code).toBe("FF1037");
    expect(reportPathProblem(join(repo, "node_modules", "r.xml"), repo)?.code).toBe("FF1037");
    expect(reportPathProblem(join(repo, "modules"), repo)?.code).toBe("FF1038");
    expect(reportPathProblem(join(repo, "dist", "tests", "junit.xml"), repo)).toBeUndefined();
  });
});
