import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

// A syntax error after an interpolated value on the same line: at the brace PowerShell names, not
// in the ${...} before it (whose text, `${`, holds the same character).
export const testPath = fn({
  name: "Test-AppPath",
  params: { path: t.string() },
  body: ({ path }) => ps`if (${path}) { { }`,
});

// The same in an indented template: after two values, at the parenthesis left open.
export const writeName = fn({
  name: "Write-Name",
  params: { name: t.string() },
  body: ({ name }) => ps`
    $greeting = 'hello'
    Write-Output ${name} ${name} (${name}
  `,
});
