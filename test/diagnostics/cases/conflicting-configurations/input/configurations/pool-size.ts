import { configuration } from "fleetform";
import { ShopSettings } from "../modules/shop/index.js";

// Role=api is WebServer's too: a pool size other than the default WebServer's admin takes.
export default configuration({
  name: "PoolSize",
  targets: { tag: "Role", values: ["api"] },
  schedule: "rate(30 minutes)",
  resources: {
    admin: ShopSettings({ site: "Admin", environment: "prod", poolSize: 8 }),
  },
});
