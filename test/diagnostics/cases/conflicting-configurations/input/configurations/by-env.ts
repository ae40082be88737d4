import { configuration } from "fleetform";
import { ShopSettings } from "../modules/shop/index.js";

export default configuration({
  name: "ByEnvironment",
  targets: { tag: "Environment", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    shop: ShopSettings({ site: "Shop", environment: "staging" }),
  },
});
