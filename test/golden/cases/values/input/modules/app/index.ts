import { defineModule, ps, resource, t } from "fleetform";
import { formatGreeting } from "../base/index.js";

export const module = defineModule({ name: "App", layer: "app", version: "1.0.0.7", description: "Calls into Base", author: "Ops 'R' Us" });

export const Motd = resource({
  name: "Motd",
  description: "The message of the day",
  properties: { who: t.string({ key: true }) },
  get: ({ who }) => ps`@{ Who = ${who}; Text = ${formatGreeting({ who, times: 2 })} }`,
  test: ({ who }) => ps`(Get-Content -LiteralPath 'C:\motd.txt' -Raw -ErrorAction SilentlyContinue) -eq ${formatGreeting({ who, times: 2 })}`,
  set: ({ who }) => ps`Set-Content -LiteralPath 'C:\motd.txt' -Value ${formatGreeting({ who, times: 2 })} -NoNewline`,
});
