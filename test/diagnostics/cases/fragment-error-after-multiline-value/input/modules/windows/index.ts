import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

// A `${...}` written over three lines prints as one: an error on a later line of the fragment is
// on the template's line that holds it, not two lines up.
export const writeName = fn({
  name: "Write-Name",
  params: { name: t.string() },
  body: ({ name }) => ps`
    $greeting = ${
      name
    }
    Write-Output $greeting (
  `,
});

// An error on the fragment line a multi-line `${...}` is in, after it: on the line the `}` ends.
export const testName = fn({
  name: "Test-Name",
  params: { name: t.string() },
  body: ({ name }) => ps`if (${
    name
  }) { { }`,
});

// PowerShell's backtick, written \` in the template: the error's column counts it once.
export const writeTab = fn({
  name: "Write-Tab",
  params: { name: t.string() },
  body: ({ name }) => ps`
    $text = "a\`tb\`tc"; Write-Output ${name} $text (
  `,
});
