import { defineConfig, stackParameter, sub } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    parameters: {
      // The Systems Manager stack's log group has this logical id: a Ref to it would name either.
      RuntimeLogGroup: { allowedValues: ["prod", "staging"], default: "prod" },
    },
    tags: { SSM_Association: [sub`windows-${stackParameter("RuntimeLogGroup")}`] },
  },
});
