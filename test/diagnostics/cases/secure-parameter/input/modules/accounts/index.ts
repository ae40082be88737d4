import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Accounts", layer: "platform", version: "1.0.0", description: "Local accounts" });

// A t.secret() is a string: Set-LocalUser -Password takes a SecureString (FF3070).
export const LocalUser = resource({
  name: "LocalUser",
  description: "A local user has its password",
  properties: { name: t.string({ key: true }), password: t.secret() },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$false`,
  set: ({ name, password }) => ps`
    Set-LocalUser -Name ${name} -Password ${password}
  `,
});

// A parameter keeps its type when assigned: $Password is still a string after this (FF3070).
export const LocalUserAssigned = resource({
  name: "LocalUserAssigned",
  description: "A local user has its password, converted in place",
  properties: { name: t.string({ key: true }), password: t.secret() },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$false`,
  set: ({ name, password }) => ps`
    ${password} = ConvertTo-SecureString -String ${password} -AsPlainText -Force
    Set-LocalUser -Name ${name} -Password ${password}
  `,
});

// Right: a variable of its own holds the SecureString, and a credential's password is a SecureString.
export const LocalUserRight = resource({
  name: "LocalUserRight",
  description: "A local user has its password, passed right",
  properties: { name: t.string({ key: true }), password: t.secret(), account: t.credential() },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$false`,
  set: ({ name, password, account }) => ps`
    $secure = ConvertTo-SecureString -String ${password} -AsPlainText -Force
    Set-LocalUser -Name ${name} -Password $secure
    Set-LocalUser -Name ${account}.UserName -Password ${account}.Password
    Start-Process -FilePath 'setup.exe' -Credential ${account}
  `,
});

// Not the property: a script block's param() and a nested function's parameter are variables of their own.
export const LocalUserShadowed = resource({
  name: "LocalUserShadowed",
  description: "A local user's password is set through a script block and a nested function",
  properties: { name: t.string({ key: true }), password: t.secret() },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$false`,
  set: ({ name, password }) => ps`
    $secure = ConvertTo-SecureString -String ${password} -AsPlainText -Force
    Invoke-Command -ScriptBlock { param($Password) Set-LocalUser -Name 'x' -Password $Password } -ArgumentList $secure
    function Set-It { param([securestring]$Password) Set-LocalUser -Name ${name} -Password $Password }
    Set-It -Password $secure
    & { $Password = $secure; Set-LocalUser -Name ${name} -Password $Password }
  `,
  // Assigned with a type in front: the variable takes that type (no FF3070).
  safe: ({ password }) => ps`
    [securestring]${password} = ConvertTo-SecureString -String ${password} -AsPlainText -Force
    Set-LocalUser -Name 'x' -Password ${password}
    $true
  `,
});

// A credential where a SecureString is taken, and a string where a PSCredential is (FF3070 each).
export const setUserPassword = fn({
  name: "Set-UserPassword",
  params: { account: t.credential(), runAs: t.string() },
  body: ({ account, runAs }) => ps`
    Set-LocalUser -Name $account.UserName -Password ${account}
    Start-Process -FilePath 'setup.exe' -Credential ${runAs}
  `,
});
