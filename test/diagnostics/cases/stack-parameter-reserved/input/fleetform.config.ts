import { defineConfig, stackParameter, sub } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    parameters: {
      // Plain text in the templates: ${AWS::Region} would stay as written (cfn-lint's E1029).
      Environment: { description: "The environment in ${AWS::Region}", allowedValues: ["prod", "staging"], default: "prod" },
      // The pipeline's own parameter: it would pass the branch, or leave this one without a value.
      BranchName: { description: "The branch of the application" },
    },
    tags: { SSM_Association: [sub`windows-${stackParameter("Environment")}`, sub`windows-${stackParameter("BranchName")}`] },
  },
});
