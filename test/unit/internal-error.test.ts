// FF9001 as fleetform prints it: the message and where in fleetform's code it was thrown, never a
// stack trace or an absolute path; a broken installation is said as it is.
import { describe, expect, it } from "vitest";
import { main } from "../../compiler/cli/index.js";
import { internalError, thrownAt } from "../../compiler/diagnostics/internal.js";
import { formatMessage } from "../../compiler/diagnostics/messages.js";
import { PackageIncomplete } from "../../compiler/util/package.js";
import { repoRoot } from "../helpers/pwsh.js";

describe("internalError", () => {
  it("names the message and fleetform's own frame, package-relative, without the stack", () => {
    let thrown: unknown;
    try {
      formatMessage(undefined as unknown as string, {}); // a TypeError inside compiler/
    } catch (e) {
      thrown = e;
    }
    const d = internalError(thrown);
    expect(d.code).toBe("FF9001");
    expect(d.severity).toBe("error");
    expect(d.message).toMatch(/^internal error: Cannot read properties of undefined \(reading 'replace'\) \(in fleetform's compiler\/diagnostics\/messages\.ts:\d+; please report it\)$/);
    expect(d.message).not.toContain(repoRoot);
    expect(d.message).not.toMatch(/\n|\bat /);
  });

  it("skips frames outside fleetform (node internals, dependencies) and takes the first of its own", () => {
    const e = new Error("x");
    e.stack = [
      "Error: x",
      "    at JSON.parse (<anonymous>)",
      "    at node:internal/x:1:2",
      `    at f (${repoRoot}/node_modules/dep/index.js:3:4)`,
      // An author's config repo inside fleetform's folder is not fleetform's code.
      `    at get (${repoRoot}/test/e2e/.work/repo/modules/emr/index.ts:5:7)`,
      `    at g (file://${repoRoot}/lib/compiler/watch.js:12:5)`,
      `    at h (${repoRoot}/lib/compiler/cli.js:7:1)`,
    ].join("\n");
    expect(thrownAt(e)).toBe("lib/compiler/watch.js:12");
    e.stack = "Error: x\n    at somewhere (/elsewhere/a.js:1:1)";
    expect(thrownAt(e)).toBeUndefined();
    expect(internalError(e).message).toBe("internal error: x");
  });

  it("takes anything thrown, and says a broken installation without a place", () => {
    expect(internalError("a string").message).toMatch(/^internal error: a string/);
    expect(internalError(new PackageIncomplete("fleetform's installation is incomplete: x is missing")).message).toBe("internal error: fleetform's installation is incomplete: x is missing");
  });
});

describe("the CLI's main()", () => {
  it("never throws: an unexpected error is FF9001 on stderr and exit 3", async () => {
    let stderr = "";
    const code = await main(["--version"], {
      stdout: () => {
        throw new Error("write EPIPE");
      },
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error FF9001: internal error: write EPIPE \(in fleetform's compiler\/cli\/index\.ts:\d+; please report it\)\n\n1 error\n$/);
  });
});
