import { defineConfig, stackParameter, sub } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    parameters: {
      Environment: { allowedValues: ["prod", "staging"], default: "prod" },
      // Declared for a tag that was never written: no template uses it, and no deployer is asked for it.
      CostCenter: { description: "Who pays for these instances" },
    },
    tags: { SSM_Association: [sub`windows-${stackParameter("Environment")}`] },
  },
});
