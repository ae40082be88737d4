// A mistake the type check and fleetform's checks both see is reported once, by fleetform.
// (test/diagnostics/cases/unknown-dependson-typed and type-error-and-own-checks run the real tsc.)
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { typeErrorsCoveredBy } from "../../compiler/diagnostics/type-duplicates.js";

const FILE = "configurations/app.ts";
const text = [
  'import { configuration } from "fleetform";', // 1
  "const retries: number = \"three\";", // 2
  "export default configuration({", // 3
  '  schedule: "cron(0 25 ? * * *)",', // 4
  "  resources: {", // 5
  "    iis: Feature(", // 6
  '      { name: "Web-Server" },', // 7
  '      { dependsOn: ["hostnme"] },', // 8
  "    ),", // 9
  "    other: Feature({ name: 42 }),", // 10
  "  },", // 11
  "});", // 12
].join("\n");

const at = (code: string, line: number, column: number, length: number, severity: "error" | "warning" = "error"): Diagnostic => ({
  code,
  severity,
  message: code,
  span: { file: FILE, start: { line, column }, end: { line, column: column + length } },
});

describe("typeErrorsCoveredBy", () => {
  const dependsOn = at("FF2101", 8, 21, 9); // "hostnme"
  const value = at("FF2104", 10, 28, 2); // 42
  const schedule = at("FF2107", 4, 21, 2); // 25

  it("drops a type error at a property's name when one of ours is inside the property", () => {
    const wall = at("TS2322", 6, 5, 3); // iis
    const key = at("TS2322", 10, 22, 4); // name (of name: 42)
    const covered = typeErrorsCoveredBy([wall, key], [dependsOn, value], () => text);
    expect([...covered]).toEqual([wall, key]);
  });

  it("keeps a type error that none of ours is inside", () => {
    const own = at("TS2322", 2, 7, 7); // retries
    const wall = at("TS2322", 6, 5, 3);
    expect([...typeErrorsCoveredBy([own, wall], [schedule], () => text)]).toEqual([]);
    // Our warnings do not count, nor do errors in another file.
    expect([...typeErrorsCoveredBy([wall], [{ ...dependsOn, severity: "warning" }], () => text)]).toEqual([]);
    expect([...typeErrorsCoveredBy([wall], [{ ...dependsOn, span: { ...dependsOn.span!, file: "other.ts" } }], () => text)]).toEqual([]);
  });

  it("does not widen an error at an object literal or a call to everything inside it", () => {
    const object = at("TS2345", 3, 30, 1); // the `{` of configuration({ (what the object lacks)
    const call = at("TS2554", 6, 10, 7); // Feature( ... ) as a whole starts at the name Feature: only the name counts
    expect([...typeErrorsCoveredBy([object, call], [dependsOn, schedule], () => text)]).toEqual([]);
  });

  it("keeps everything when the file's text is not known", () => {
    expect([...typeErrorsCoveredBy([at("TS2322", 6, 5, 3)], [dependsOn], () => undefined)]).toEqual([]);
  });
});

describe("typeErrorsCoveredBy, a ${...} value", () => {
  const source = ["import { ps } from \"fleetform\";", "export const f = () => ps`Write-Output ${new Date(0)} ${() => 1}`;"].join("\n");
  const where = (code: string, column: number, length: number): Diagnostic => ({ code, severity: "error", message: code, span: { file: FILE, start: { line: 2, column }, end: { line: 2, column: column + length } } });

  it("drops tsc's error at a ${...} value that FF3001 reports as a whole", () => {
    const date = where("TS2345", 42, 3); // new Date(0): tsc's span starts it
    const fn = where("TS2345", 57, 7); // () => 1
    const ours = [where("FF3001", 42, 11), where("FF3001", 57, 7)];
    expect([...typeErrorsCoveredBy([date, fn], ours, () => source)]).toEqual([date, fn]);
    // (not when ours is elsewhere)
    expect([...typeErrorsCoveredBy([date], [where("FF3001", 57, 7)], () => source)]).toEqual([]);
  });
});
