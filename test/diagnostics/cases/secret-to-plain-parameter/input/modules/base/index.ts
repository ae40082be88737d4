import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

export const writeNote = fn({ name: "Write-Note", params: { text: t.string() }, body: ({ text }) => ps`Write-Output ${text}` });
export const setPassword = fn({ name: "Set-ServicePassword", params: { name: t.string(), password: t.secret() }, body: ({ name, password }) => ps`Set-LocalUser -Name ${name} -Password (ConvertTo-SecureString ${password} -AsPlainText -Force)` });

export const ServiceAccount = resource({
  name: "ServiceAccount",
  description: "The service account has its password",
  properties: { name: t.string({ key: true }), password: t.secret() },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$false`,
  // A secret to a t.secret() parameter: fine. To a plain string parameter: it would be logged.
  set: ({ name, password }) => ps`
    ${setPassword({ name, password })}
    ${writeNote({ text: password })}
  `,
});
