// DSC resources with every kind of property validation, for the generated DSC resource tests:
// their sample arguments must pass [ValidatePattern], [ValidateLength], [ValidateRange] and
// [ValidateSet] of the *-TargetResource functions.
import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Kinds", layer: "base", version: "3.2.1", description: "Resources with validated properties" });

/** A reboot after every change but no safe guard (declared not disruptive). */
export const Throttle = resource({
  name: "Throttle",
  description: "A site's request limit",
  properties: {
    site: t.string({ key: true, pattern: /^(web|app)-\d{2}$/ }),
    limit: t.int({ min: 5, max: 50 }),
    mode: t.enum(["Soft", "Hard"], { default: "Soft" }),
    label: t.string({ minLength: 3, maxLength: 8, optional: true }),
    enabled: t.bool({ optional: true }),
    hosts: t.array(t.string({ pattern: /^[a-z]+\.example\.com$/i }), { optional: true }),
  },
  get: ({ site }) => ps`@{ Site = ${site}; Limit = [int](Get-ItemPropertyValue -Path ('HKLM:\SOFTWARE\Kinds\{0}' -f ${site}) -Name 'Limit') }`,
  test: ({ site, limit }) => ps`[int](Get-ItemPropertyValue -Path ('HKLM:\SOFTWARE\Kinds\{0}' -f ${site}) -Name 'Limit') -eq ${limit}`,
  set: ({ site, limit }) => ps`Set-ItemProperty -Path ('HKLM:\SOFTWARE\Kinds\{0}' -f ${site}) -Name 'Limit' -Value ${limit}`,
  reboot: "after-set",
  disruptive: false,
});

/** A key no generated sample can satisfy (lookaheads): its DSC resource tests are skipped. */
export const ServiceAccount = resource({
  name: "ServiceAccount",
  description: "A service account's password policy",
  properties: {
    account: t.string({ key: true, pattern: /^(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{12,}$/ }),
    neverExpires: t.bool({ default: true }),
  },
  get: ({ account }) => ps`@{ Account = ${account} }`,
  test: () => ps`$true`,
  safe: () => ps`$true`,
  set: () => ps`$null`,
});
