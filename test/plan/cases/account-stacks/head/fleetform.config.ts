import { defineConfig } from "fleetform";

// A new prefix names every stack, role scope and CodeDeploy name anew; a parameter without a
// default that a configuration's targets use (WebServer's: the association and the deployment
// group both target its instances) is passed through the pipeline to both stacks.
export default defineConfig({
  layers: ["platform", "role"],
  stack: { prefix: "contoso-web", parameters: { Team: { description: "The team that owns the servers" } } },
});
