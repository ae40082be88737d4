import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const getEmrVersion = fn({
  name: "Get-EmrVersion",
  params: {},
  returns: t.string(),
  body: () => ps`(Get-ItemProperty -Path 'HKLM:\SOFTWARE\DocuTAP\Emr' -Name Version -ErrorAction SilentlyContinue).Version`,
});

export type EmrChannel = "stable" | "preview";
