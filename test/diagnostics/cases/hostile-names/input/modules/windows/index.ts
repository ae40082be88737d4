import { defineModule, extern, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.0.0", description: "Names that would become code" });

// A parameter name is pasted after `$` in param(): this one would be a default value that runs.
export const getArea = fn({
  name: "Get-Area",
  params: { "area = $(Invoke-Pwned)": t.string(), verbose: t.bool(), input: t.string() },
  returns: t.string(),
  body: () => ps`'area'`,
});

// Two parameters PowerShell cannot tell apart.
export const getZone = fn({
  name: "Get-Zone",
  params: { zone: t.string(), Zone: t.string() },
  body: () => ps`'zone'`,
});

// An extern's module lands in RequiredModules and its switches after `-`.
export const setThing = extern({
  name: "Set-Thing",
  module: "Evil'; Invoke-Pwned; '",
  params: { path: t.string() },
  switches: ["force:$(Invoke-Pwned)", "Path", "recurse"],
});

// Enum values and patterns are written as constants into [ValidateSet()] and [ValidatePattern()].
export const Setting = resource({
  name: "Setting",
  description: "A setting",
  properties: {
    name: t.string({ key: true, pattern: /^a\u0085b$/ }),
    "data;Invoke-Pwned": t.string(),
    dependsOn: t.string({ optional: true }),
    // A raw control character (not the escape \u0085) in the pattern itself.
    code: t.string({ optional: true, pattern: new RegExp("^x\u0085y$") }),
    kind: t.enum(["plain", "line\u2028break", "nel\u0085"]),
  },
  get: () => ps`@{}`,
  test: () => ps`$true`,
  set: () => ps`$null`,
});
