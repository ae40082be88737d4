import { defineConfig } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    // Not a name SSM takes: said once, here (not again as each document's name).
    prefix: "Trial 2!",
    // Not an email address: SNS would refuse the subscription when the stack deploys.
    alerts: { email: "ops at example" },
  },
});
