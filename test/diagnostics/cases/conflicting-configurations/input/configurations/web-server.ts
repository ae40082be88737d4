import { configuration } from "fleetform";
import { ShopSettings } from "../modules/shop/index.js";

export default configuration({
  name: "WebServer",
  targets: { tag: "Role", values: ["web", "api"] },
  schedule: "rate(30 minutes)",
  resources: {
    shop: ShopSettings({ site: "Shop", environment: "prod" }),
    admin: ShopSettings({ site: "Admin", environment: "prod" }),
  },
});
