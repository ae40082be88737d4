// Golden plans: each folder under cases/ holds two config repos, base/ and head/, and the plan
// between them as Markdown (expected.md) and JSON (expected.json). `npx vitest run test/plan -u`
// rewrites the expected files: review them as a diff.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/driver/compile.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { diffBuilds, type Build, type Plan } from "../../compiler/plan/diff.js";
import { renderMarkdown } from "../../compiler/plan/markdown.js";
import { caseNames } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";
import { goldenJson } from "./golden.js";

const casesDir = join(repoRoot, "test", "plan", "cases");

/**
 * Compiled as `fleetform plan` compiles the base: no type check (test/plan/cli.test.ts covers the
 * head's). Once per folder: diffBuilds only reads its builds, and the later tests diff the same
 * cases again (in other directions).
 */
const builds = new Map<string, Promise<Build>>();
function build(root: string): Promise<Build> {
  let b = builds.get(root);
  if (!b) builds.set(root, (b = compileCase(root)));
  return b;
}

async function compileCase(root: string): Promise<Build> {
  const result = await compile({ root, typecheck: false });
  expect(formatDiagnostics(result.diagnostics, (f) => result.sources.get(f))).toBe("");
  expect(result.ok).toBe(true);
  return { program: result.program!, files: result.files };
}

/** What each case is about, checked beside the golden files so a careless -u cannot lose it. */
const checks: Record<string, (plan: Plan, markdown: string) => void> = {
  identical(plan, md) {
    expect(plan.changed).toBe(false);
    expect(plan.files).toEqual([]);
    expect(md).toContain("\nNo changes.\n");
  },
  "property-change"(plan, md) {
    expect(plan.graph).toBeUndefined();
    expect(md).not.toContain("```mermaid");
    const web = plan.configurations.find((c) => c.name === "WebServer")!;
    expect(web.resources.map((r) => [r.id, r.status])).toEqual([
      ["motd", "changed"],
      ["owner", "changed"],
    ]);
    expect(web.resources[0]!.properties).toEqual([{ field: "Content", before: '"Welcome"', after: '"Welcome to Contoso"' }]);
    expect(web.resources[1]!.properties).toEqual([
      { field: "Data", before: 'ec2Tag("Owner")', after: 'ssmParameter("/contoso/owner")' },
      { field: "Tags", after: '["managed", "web"]' },
    ]);
    expect(md).toContain('| `owner` | `Platform/RegistryValue` | changed | `Data` | `ec2Tag("Owner")` | `ssmParameter("/contoso/owner")` |');
    expect(plan.configurations.map((c) => c.name)).toEqual(["WebServer"]);
    // Reading a parameter is a new statement on the instance role: a widened permission.
    expect(plan.dependencies.permissions).toEqual([
      {
        template: "cloudformation/dependencies.yaml",
        role: "InstanceRole",
        policy: "fleetform-instance",
        statement: "ReadParameters",
        status: "added",
        effect: "Allow",
        actions: { added: ["ssm:GetParameter", "ssm:GetParameters"], removed: [] },
        resources: { added: ["sub`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/contoso/owner`"], removed: [] },
        principals: { added: [], removed: [] },
        widened: true,
        wildcard: false,
      },
    ]);
    expect(plan.summary.permissions).toEqual({ added: 1, removed: 0, changed: 0, widened: 1 });
    expect(md).toContain("> [!CAUTION]\n> **Permissions widened**: `InstanceRole` may do more after this change (`InstanceRole` `ReadParameters`)");
    expect(md).toContain("| `InstanceRole` | `fleetform-instance` | `ReadParameters` | added, **widened** ⚠️ | +`ssm:GetParameter`<br>+`ssm:GetParameters` |");
  },
  "resource-removed"(plan, md) {
    expect(plan.configurations[0]!.resources.map((r) => [r.id, r.status, r.type])).toEqual([["motd", "removed", "Platform/TextFile"]]);
    expect(md).toContain("| `motd` | `Platform/TextFile` | removed |");
  },
  "schedule-change"(plan) {
    expect(plan.configurations[0]!.settings).toEqual([
      { field: "association.applyOnlyAtCronInterval", before: "false", after: "true" },
      { field: "association.maxConcurrency", before: '"10%"', after: '"2"' },
      { field: "schedule", before: '"rate(30 minutes)"', after: '"cron(0 2 ? * SUN *)"' },
    ]);
    expect(plan.configurations[0]!.resources).toEqual([]);
  },
  "module-not-bumped"(plan, md) {
    expect(plan.modules.map((m) => [m.name, m.versionBefore, m.versionAfter, m.content])).toEqual([
      ["Platform", "1.0.0", "1.0.0", "code"],
      ["WebRole", "2.1.0", "2.2.0", "code"],
    ]);
    const moduleWarnings = plan.warnings.filter((w) => w.subject === "module");
    expect(moduleWarnings.map((w) => [w.name, w.version])).toEqual([["Platform", "1.0.0"]]);
    expect(md).toContain("> [!WARNING]\n> **Module `Platform`**: `modules/Platform/` changed but the version is still `1.0.0`");
    expect(md).toContain("| `Platform` | changed | `1.0.0` (not bumped) ⚠️ |");
    expect(md).toContain("| `WebRole` | changed | `2.1.0` → `2.2.0` |");
  },
  "module-version-only"(plan, md) {
    // A version bump alone: the module's row says so and what it reaches; its resource types are
    // not "changed" by their DSC class version (the module's version), and no warning.
    expect(plan.modules.map((m) => [m.name, m.versionBefore, m.versionAfter, m.resourceTypes, m.usedBy])).toEqual([["Platform", "1.0.0", "1.1.0", [], ["FileServer", "WebServer"]]]);
    expect(plan.warnings).toEqual([]);
    expect(md).toContain("| `Platform` | changed | `1.0.0` → `1.1.0` | 3 files | used by `FileServer`, `WebServer` |");
  },
  "manifest-only-not-bumped"(plan, md) {
    // Platform moved to 1.1.0; WebRole, which requires it and which FileServer's DSC document
    // loads, changed only in its manifest: the warning says so, not that modules/WebRole/ changed.
    const warning = plan.warnings.find((w) => w.name === "WebRole");
    expect(warning?.requires).toContain("Platform 1.1.0");
    expect(warning?.message).toMatch(/^Module WebRole: only its manifest changed \(modules\/WebRole\/WebRole\.psd1 requires .*Platform 1\.1\.0.* now, a module it requires having moved\) but its version is still 2\.2\.0;/);
    expect(md).toContain("> **Module `WebRole`**: only its manifest changed (`modules/WebRole/WebRole.psd1` requires `");
  },
  "import-added"(plan, md) {
    expect(plan.graph?.edges).toEqual([{ key: "WebRole -> Platform", status: "added" }]);
    expect(plan.graph?.nodes).toEqual([]);
    expect(plan.graph?.model.layers).toEqual(["platform", "role"]);
    expect(md).toContain("### Module graph");
    expect(md).toMatch(/```mermaid\nflowchart TB\n[^`]*m1 -->\|"added"\| m0\n[^`]*linkStyle \d+ stroke:#2e7d32/);
  },
  "target-change"(plan, md) {
    expect(plan.graph?.nodes).toEqual([{ key: "configuration:WebServer", status: "changed" }]);
    expect(plan.graph?.edges).toEqual([]);
    expect(md).toContain("```mermaid\n");
    expect(plan.configurations[0]!.settings).toEqual([
      { field: "targets.tag", before: '"Role"', after: '"ServerRole"' },
      { field: "targets.values", before: '["web"]', after: '["web", "web-canary"]' },
    ]);
  },
  "resource-added-depends-on"(plan, md) {
    const [banner, pool] = plan.configurations[0]!.resources;
    expect(banner).toMatchObject({ id: "banner", status: "added", dependsOn: { after: ["motd", "owner"], added: ["motd", "owner"] } });
    expect(pool).toMatchObject({ id: "pool", status: "changed", properties: [], dependsOn: { before: ["owner"], after: ["motd", "owner"], added: ["motd"], removed: [] } });
    expect(md).toContain("| `pool` | `WebRole/AppPool` | changed | `dependsOn` | `[owner]` | `[motd, owner]` |");
  },
  "configurations-added-removed"(plan, md) {
    expect(plan.configurations.map((c) => [c.name, c.status])).toEqual([
      ["AppServer", "added"],
      ["FileServer", "removed"],
    ]);
    expect(plan.modules.map((m) => [m.name, m.status])).toEqual([["App", "added"]]);
    expect(md).toContain("Removed with its 1 resource (`motd`).");
    expect(plan.graph?.nodes).toEqual([
      { key: "configuration:AppServer", status: "added" },
      { key: "configuration:FileServer", status: "removed" },
      { key: "module:App", status: "added" },
    ]);
  },
  "source-positions-only"(plan, md) {
    expect(plan.modules.map((m) => [m.name, m.content])).toEqual([["Platform", "positions"]]);
    expect(plan.warnings).toEqual([]);
    expect(md).toContain("source positions only");
  },
  "permissions-widened"(plan, md) {
    // One parameter replaced by another and a third one read: the statement gains two resources and loses one.
    expect(plan.dependencies.permissions).toEqual([
      {
        template: "cloudformation/dependencies.yaml",
        role: "InstanceRole",
        policy: "fleetform-instance",
        statement: "ReadParameters",
        status: "changed",
        effect: "Allow",
        actions: { added: [], removed: [] },
        resources: {
          added: ["sub`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/contoso/files/motd`", "sub`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/contoso/web/owner`"],
          removed: ["sub`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/contoso/owner`"],
        },
        principals: { added: [], removed: [] },
        widened: true,
        wildcard: false,
      },
    ]);
    expect(plan.dependencies.deploymentTargets).toEqual({ added: ['Role="web-canary"'], removed: [] });
    expect(plan.dependencies.widened).toBe(true);
    expect(md).toContain("### Dependency stack (`cloudformation/dependencies.yaml`)");
    expect(md).toContain("| `InstanceRole` | `fleetform-instance` | `ReadParameters` | changed, **widened** ⚠️ |");
    // The deployment group's tag filters changed: the dependency stack's other resource, by property path.
    expect(plan.dependencies.resources).toEqual([
      { id: "DeploymentGroup", status: "changed", type: "AWS::CodeDeploy::DeploymentGroup", paths: [{ field: "Properties.Ec2TagFilters[2]", after: '{ Key: "Role", Value: "web-canary", Type: "KEY_AND_VALUE" }' }] },
    ]);
    expect(md).toContain('Deployment group EC2 tag filters: +`Role="web-canary"`.');
    expect(plan.files.map((f) => f.path)).toContain("cloudformation/dependencies.yaml");
  },
  "account-stacks"(plan, md) {
    // The pipeline stack: a new prefix re-scopes every role (new resources: widened) and renames its resources.
    const pipeline = plan.pipeline;
    expect(pipeline.widened).toBe(true);
    // documents/contoso-* already covered contoso-web-*: changed, not widened; the roles' new scope is new.
    const documents = pipeline.permissions.find((p) => p.role === "DeployRole" && p.statement === "Documents")!;
    expect(documents).toMatchObject({ template: "cloudformation/pipeline.yaml", policy: "fleetform-deploy", status: "changed", widened: false });
    expect(documents.resources).toEqual({ added: ["sub`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:document/contoso-web-*`"], removed: ["sub`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:document/contoso-*`"] });
    const roles = pipeline.permissions.find((p) => p.role === "DeployRole" && p.statement === "Roles")!;
    // A new scope, not a wildcard over the old one.
    expect(roles).toMatchObject({ status: "changed", widened: true, wildcard: false });
    expect(roles.resources.added).toEqual(["sub`arn:${AWS::Partition}:iam::${AWS::AccountId}:role/contoso-web-dependencies-*`"]);
    // The build role's scope is its own stack's resources (GetAtt): no prefix in it, no change.
    expect(new Set(pipeline.permissions.map((p) => p.role))).toEqual(new Set(["DeployRole", "PipelineRole"]));
    expect(pipeline.resources.find((r) => r.id === "BuildProject")!.paths).toContainEqual({ field: "Properties.Name", before: '"contoso-build"', after: '"contoso-web-build"' });
    expect(pipeline.parameters.map((p) => [p.field, p.before === undefined ? "added" : "changed"])).toEqual([["Team", "added"]]);
    const overrides = pipeline.resources.find((r) => r.id === "Pipeline")!.paths.find((p) => p.field === 'Properties.Stages["Prepare"].Actions["Dependencies"].Configuration.ParameterOverrides')!;
    expect(overrides.after).toContain('"Team":"${Team}"');
    expect(overrides.after).toContain('"MofBucketName":"${ArtifactBucket}"');
    // The dependency stack: the MOF bucket and Team parameters, reading the MOF (a new statement), renamed CodeDeploy names.
    const deps = plan.dependencies;
    expect(deps.parameters.map((p) => p.field)).toEqual(["MofBucketName", "MofKeyPrefix", "OutputKeyPrefix", "Team"]);
    expect(deps.permissions.map((p) => [p.role, p.statement, p.status, p.widened])).toContainEqual(["InstanceRole", "ReadDscDocuments", "added", true]);
    expect(deps.resources.find((r) => r.id === "CodeDeployApplication")!.paths).toEqual([{ field: "Properties.ApplicationName", before: '"contoso"', after: '"contoso-web"' }]);
    expect(md).toContain("### Pipeline stack (`cloudformation/pipeline.yaml`)");
    expect(md).toContain("| `DeployRole` | `fleetform-deploy` | `Roles` | changed, **widened** ⚠️ |");
    expect(md).toContain("| `DeployRole` | `fleetform-deploy` | `Documents` | changed |");
    expect(md).toContain("| `CodeDeployApplication` | `AWS::CodeDeploy::Application` | changed | `Properties.ApplicationName` | `\"contoso\"` | `\"contoso-web\"` |");
    expect(md).toMatch(/> \[!CAUTION\]\n> \*\*Permissions widened\*\*: `InstanceRole`, `DeployRole`, `PipelineRole` may do more/);
  },
  observability(plan, md) {
    const o = plan.observability;
    const line = (kind: string, name: string) => o.find((x) => x.kind === kind && x.name === name);
    expect(line("log group", "/fleetform/contoso/runtime")!.changes).toEqual([
      { field: "KMS key", after: '"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"' },
      { field: "retention (days)", before: "90", after: "365" },
    ]);
    // The file the agent collects moved; its log group and timestamp format stay.
    expect(line("agent configuration", "AmazonCloudWatch-contoso-fleetform")!.changes).toEqual([{ field: "collected file 1: file_path", before: '"C:\\\\ProgramData\\\\Fleetform\\\\Logs\\\\*.log"', after: '"D:\\\\Logs\\\\*.log"' }]);
    // The dashboard: the new configuration's line on each metric widget.
    expect(line("dashboard", "contoso-fleet")!.changes).toContainEqual({ field: 'metric widget "runs that ended with a failure exit code": metric Configuration=AppServer', after: '"Fleetform/contoso/FailedRuns"' });
    // The new configuration's alarms (to the alert topic), and its metrics on the dashboard.
    expect(o.filter((x) => x.status === "added").map((x) => [x.kind, x.name])).toEqual([
      ["alarm", "contoso-AppServer-DriftFound"],
      ["alarm", "contoso-AppServer-FailedRuns"],
    ]);
    expect(line("dashboard", "contoso-fleet")!.status).toBe("changed");
    expect(o.every((x) => x.kind !== "query")).toBe(true);
    expect(plan.summary.observability).toEqual({ added: 2, removed: 0, changed: 3 });
    expect(plan.stack).toEqual([
      { field: "stack.logs.kmsKey", after: '"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"' },
      { field: "stack.logs.retentionDays", before: "90", after: "365" },
    ]);
    expect(md).toContain("### Systems Manager stack (`cloudformation/systems-manager.yaml`)");
    expect(md).toContain("- log group `/fleetform/contoso/runtime` changed: KMS key added (");
    expect(md).toContain("retention (days) `90` → `365`");
    expect(md).toContain("- alarm `contoso-AppServer-FailedRuns` added");
  },
  "fleet-associations"(plan) {
    expect(plan.associations.map((a) => [a.name, a.status])).toEqual([
      ["PatchBaselineScan", "changed"],
      ["SoftwareInventory", "removed"],
      ["UpdateSsmAgent", "added"],
    ]);
    expect(plan.associations[0]!.settings).toEqual([
      { field: "schedule", before: '"rate(1 day)"', after: '"rate(12 hours)"' },
      { field: "settings.maxErrors", before: '"10%"', after: '"1"' },
      { field: "targets.values", before: '["web", "files"]', after: '["web", "files", stackParameter("Environment")]' },
    ]);
    expect(plan.settings).toEqual([{ field: "install.logDir", before: '"C:\\\\ProgramData\\\\Fleetform\\\\Logs"', after: '"D:\\\\Logs"' }]);
    expect(plan.stack.map((s) => s.field)).toEqual(["stack.parameters.Environment", "stack.prefix"]);
  },
};

describe("plan golden cases", () => {
  const names = caseNames(casesDir);
  it("has a check for every case and a case for every check", () => {
    if (process.env.FILTER) return;
    expect(names).toEqual(Object.keys(checks).sort());
  });

  for (const name of names) {
    it(name, async () => {
      const dir = join(casesDir, name);
      const plan = diffBuilds(await build(join(dir, "base")), await build(join(dir, "head")));
      const markdown = renderMarkdown(plan, { base: "base", head: "head" });
      checks[name]?.(plan, markdown);
      await expect(markdown).toMatchFileSnapshot(join(dir, "expected.md"));
      await expect(goldenJson(plan)).toMatchFileSnapshot(join(dir, "expected.json"));
    });
  }

  it("gives the same plan when run twice, and the reverse plan from head to base", async () => {
    const dir = join(casesDir, "resource-added-depends-on");
    const base = await build(join(dir, "base"));
    const head = await build(join(dir, "head"));
    expect(JSON.stringify(diffBuilds(base, head))).toBe(JSON.stringify(diffBuilds(base, head)));
    const reverse = diffBuilds(head, base);
    expect(reverse.configurations[0]!.resources.map((r) => [r.id, r.status])).toEqual([
      ["banner", "removed"],
      ["pool", "changed"],
    ]);
    expect(reverse.files.map((f) => f.status)).toEqual(diffBuilds(base, head).files.map((f) => (f.status === "added" ? "removed" : f.status === "removed" ? "added" : "changed")));
  });

  it("narrowing is not widening: the reverse of property-change removes the statement, without a caution", async () => {
    const dir = join(casesDir, "property-change");
    const plan = diffBuilds(await build(join(dir, "head")), await build(join(dir, "base")));
    expect(plan.dependencies.permissions.map((p) => [p.statement, p.status, p.widened])).toEqual([["ReadParameters", "removed", false]]);
    expect(plan.dependencies.widened).toBe(false);
    const md = renderMarkdown(plan, { base: "head", head: "base" });
    expect(md).not.toContain("[!CAUTION]");
    expect(md).toContain("| `InstanceRole` | `fleetform-instance` | `ReadParameters` | removed |");
  });

  it("gives each file's sha256 of its bytes (UTF-8 text, UTF-16LE DSC documents as they are)", async () => {
    const dir = join(casesDir, "configurations-added-removed");
    const base = await build(join(dir, "base"));
    const head = await build(join(dir, "head"));
    const sha = (c: string | Uint8Array): string => createHash("sha256").update(typeof c === "string" ? Buffer.from(c, "utf8") : c).digest("hex");
    const plan = diffBuilds(base, head);
    expect(plan.files.length).toBeGreaterThan(0);
    for (const f of plan.files) {
      const b = base.files.find((x) => x.path === f.path);
      const a = head.files.find((x) => x.path === f.path);
      expect(f.before).toBe(b ? sha(b.content) : undefined);
      expect(f.after).toBe(a ? sha(a.content) : undefined);
    }
    expect(plan.files.some((f) => f.path.endsWith(".mof") && f.status === "added")).toBe(true);
  });
});
