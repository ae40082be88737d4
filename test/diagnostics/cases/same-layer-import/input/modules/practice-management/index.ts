import { defineModule, ps, resource, t } from "fleetform";
import { getEmrVersion } from "../emr/index.js";

export const module = defineModule({ name: "PracticeManagement", layer: "application", version: "1.0.3", description: "The Practice Management client" });

export const EmrBridge = resource({
  name: "EmrBridge",
  description: "The EMR bridge is configured for the installed EMR version",
  properties: { port: t.int({ key: true, min: 1, max: 65535 }) },
  get: ({ port }) => ps`@{ Port = ${port}; EmrVersion = ${getEmrVersion({})} }`,
  test: ({ port }) => ps`(Get-ItemProperty -Path 'HKLM:\SOFTWARE\PM\Bridge' -Name Port -ErrorAction SilentlyContinue).Port -eq ${port}`,
  set: ({ port }) => ps`Set-ItemProperty -Path 'HKLM:\SOFTWARE\PM\Bridge' -Name Port -Value ${port}`,
});
