import { configuration } from "fleetform";
import { ShopSettings } from "../modules/shop/index.js";

// Other instances (another tag value, another tag key): no conflict the repo can show.
export default configuration({
  name: "Staging",
  targets: { tag: "Role", values: ["staging-web"] },
  schedule: "rate(30 minutes)",
  resources: {
    shop: ShopSettings({ site: "Shop", environment: "staging" }),
  },
});
