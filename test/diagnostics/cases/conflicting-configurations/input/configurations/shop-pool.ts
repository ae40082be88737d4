import { configuration } from "fleetform";
import { ShopSettings } from "../modules/shop/index.js";

// Role=web is WebServer's too: the same shop, set to staging, would flip on every run.
export default configuration({
  name: "ShopPool",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    // (the key compared as DSC compares it, without case)
    settings: ShopSettings({ site: "shop", environment: "staging" }),
    // The same values as WebServer's (the pool size its default): no conflict.
    admin: ShopSettings({ site: "Admin", environment: "prod", poolSize: 4 }),
  },
});
