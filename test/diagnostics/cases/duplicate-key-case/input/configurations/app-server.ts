import { configuration } from "fleetform";
import { Folder, WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
    iisTools: WindowsFeature({ name: "web-server", includeManagementTools: true }),
    // Written later, first in the alphabet: the error is at 'asp' (the later one), the note at 'net'.
    net: WindowsFeature({ name: "NET-Framework-45-Core" }),
    asp: WindowsFeature({ name: "net-framework-45-core" }),
    // Different for .NET's OrdinalIgnoreCase (JavaScript's toUpperCase makes 'ß' 'SS'): no error.
    street: Folder({ path: "C:\\Straße", port: 1 }),
    streetUpper: Folder({ path: "C:\\STRASSE", port: 1 }),
    // The same for .NET's OrdinalIgnoreCase (each letter's simple upper case: σ and ς are Σ): FF2112.
    sigma: Folder({ path: "ΣΑΣ", port: 1 }),
    sigmaLower: Folder({ path: "σας", port: 1 }),
    // Key values of the wrong kind are FF2104 each, and no FF2112 beside it (a BigInt was an internal error).
    objectA: Folder({ path: { drive: "C" }, port: 2 } as any),
    objectB: Folder({ path: { drive: "C" }, port: 2 } as any),
    bigA: Folder({ path: "C:\\Big", port: 3n } as any),
    bigB: Folder({ path: "C:\\Big", port: 3n } as any),
    // Two keys, the second differing: no error.
    portA: Folder({ path: "C:\\Fleet", port: 80 }),
    portB: Folder({ path: "c:\\fleet", port: 81 }),
  },
});
