import { describe, expect, it } from "vitest";
import { APPROVED_VERBS, VERB_SUGGESTIONS, splitCommandName } from "../../compiler/util/verbs.js";

describe("APPROVED_VERBS", () => {
  it("has the common approved verbs", () => {
    for (const verb of ["Get", "Set", "Test", "Invoke", "New", "Remove", "Install", "Start", "Stop", "Use", "ConvertTo", "ConvertFrom"]) {
      expect(APPROVED_VERBS.has(verb), verb).toBe(true);
    }
  });

  it("does not have Build and Deploy (PowerShell 6+ only, they warn on import in 5.1)", () => {
    expect(APPROVED_VERBS.has("Build")).toBe(false);
    expect(APPROVED_VERBS.has("Deploy")).toBe(false);
  });

  it("does not have common unapproved verbs, and is case-sensitive", () => {
    for (const verb of ["Delete", "Create", "Run", "Execute", "Check", "Apply", "get", "GET", ""]) {
      expect(APPROVED_VERBS.has(verb), verb).toBe(false);
    }
  });

  it("holds capitalised words only, and leaves out the reserved Ping (suggesting Test)", () => {
    expect(APPROVED_VERBS.size).toBeGreaterThan(90);
    for (const verb of APPROVED_VERBS) expect(verb).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(APPROVED_VERBS.has("Ping")).toBe(false);
    expect(VERB_SUGGESTIONS.Ping).toBe("Test");
  });

  it("suggests only approved verbs, for verbs that are not approved", () => {
    for (const [bad, suggestion] of Object.entries(VERB_SUGGESTIONS)) {
      expect(APPROVED_VERBS.has(bad), bad).toBe(false);
      expect(APPROVED_VERBS.has(suggestion.split(" ")[0]!), suggestion).toBe(true);
    }
    expect(VERB_SUGGESTIONS.Build).toMatch(/^New\b/);
    expect(VERB_SUGGESTIONS.Deploy).toMatch(/^Install\b/);
  });
});

describe("splitCommandName", () => {
  it("splits Verb-Noun names", () => {
    expect(splitCommandName("Get-Service")).toEqual({ verb: "Get", noun: "Service" });
    expect(splitCommandName("Set-WebRoot2")).toEqual({ verb: "Set", noun: "WebRoot2" });
    expect(splitCommandName("ConvertTo-Json")).toEqual({ verb: "ConvertTo", noun: "Json" });
    expect(splitCommandName("build-thing")).toEqual({ verb: "build", noun: "thing" });
  });

  it("rejects names that are not one verb, a dash, and one noun", () => {
    for (const name of ["GetService", "Get-", "-Service", "Get-Web-Root", "Get-2Service", "Get Service", "Get-Web Root", "Get2-Service", "", "Get-Service\n"]) {
      expect(splitCommandName(name), JSON.stringify(name)).toBeUndefined();
    }
  });
});
