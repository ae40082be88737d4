import { createHash } from "node:crypto";

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

// fleetform's namespace for name-based (version 5) UUIDs. Never change it: module GUIDs derive from it.
const NAMESPACE = Buffer.from("8f6b1f1e3c2a5d7e9a416e2f0b7c4d10", "hex");

/** Module GUIDs made so far, by lower-cased name (a build asks for each module's several times, a watch session on every rebuild). */
const guids = new Map<string, string>();

/** A stable RFC 4122 version 5 UUID for a PowerShell module name (case-insensitive, as module names are). */
export function moduleGuid(name: string): string {
  const lower = name.toLowerCase();
  let guid = guids.get(lower);
  if (guid === undefined) guids.set(lower, (guid = nameGuid(lower)));
  return guid;
}

function nameGuid(lower: string): string {
  const h = createHash("sha1").update(NAMESPACE).update(Buffer.from(lower, "utf8")).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** sha256 of the parts, each length-prefixed (so that no two lists of parts run together). */
export function keyOf(...parts: readonly (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    // (a text is hashed as its UTF-8 bytes without copying it into a Buffer first: keys of large texts)
    h.update(`${typeof p === "string" ? Buffer.byteLength(p, "utf8") : p.length}:`);
    h.update(p);
  }
  return h.digest("hex");
}
