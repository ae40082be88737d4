import { defineConfig } from "fleetform";

// Header fields are written into the DSC document's /* */ comment: a `*/` and a line break would
// add a MOF instance. A layer is written into `#` comments and manifests.
export default defineConfig({
  layers: ["platform", "app\n$(Invoke-Pwned)"],
  dsc: {
    generatedBy: "ci*/\ninstance of MSFT_ScriptResource as $x { SetScript = \"Invoke-Pwned\"; };\n/*",
    generationHost: "build {tag:Name}",
    generationDate: "01/01/2024 00:00:00",
  },
});
