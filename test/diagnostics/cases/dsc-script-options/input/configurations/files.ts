// `safe` and `disruptive` are options of dsc.Script only, and take code and a boolean.
import { configuration, dsc, ps } from "fleetform";

export default configuration({
  name: "Files",
  targets: { tag: "Role", values: ["files"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: true },
  resources: {
    file: dsc.File({ destinationPath: "C:\\x.txt", contents: "x" }, { safe: ps`$true` } as never),
    script: dsc.Script(
      { getScript: "@{ Result = 'x' }", testScript: "$true", setScript: "Write-Output 'x'" },
      { safe: 42, disruptive: "yes" } as never,
    ),
  },
});
