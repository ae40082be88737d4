import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { moduleGuid, sha256 } from "../../compiler/util/hash.js";

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("sha256", () => {
  it("gives the known digests (FIPS 180-2 test vectors)", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("hashes strings as UTF-8 and bytes as they are", () => {
    expect(sha256(new TextEncoder().encode("abc"))).toBe(sha256("abc"));
    expect(sha256("é")).toBe(sha256(new Uint8Array([0xc3, 0xa9])));
    expect(sha256(new Uint8Array([0]))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  });
});

describe("moduleGuid", () => {
  it("matches the GUID hard-coded in the runtime's manifest", () => {
    expect(moduleGuid("Fleetform.Runtime")).toBe("4f35ebf1-9635-5eae-96f3-9b02393dbd8d");
  });

  it("is a lower-case RFC 4122 version 5 UUID", () => {
    for (const name of ["Fleetform.Runtime", "WebServer", "a", "", "Müller.Tools"]) {
      expect(moduleGuid(name), name).toMatch(UUID_V5);
    }
  });

  it("is SHA-1 of the namespace and the lower-cased name, as RFC 4122 §4.3 describes", () => {
    // SHA-1 over fleetform's fixed namespace bytes and the lower-cased UTF-8 name; every digest
    // bit of the first 16 bytes is kept except the 4 version bits and the 2 variant bits.
    const namespace = Buffer.from("8f6b1f1e3c2a5d7e9a416e2f0b7c4d10", "hex");
    const digest = createHash("sha1").update(namespace).update("webserver").digest("hex").slice(0, 32);
    const guid = moduleGuid("WebServer").replace(/-/g, "");
    expect(guid.slice(0, 12)).toBe(digest.slice(0, 12));
    expect(guid[12]).toBe("5");
    expect(guid.slice(13, 16)).toBe(digest.slice(13, 16));
    expect(((parseInt(guid[16]!, 16) & 0xc) >> 2)).toBe(2); // variant 10xx
    expect(parseInt(guid[16]!, 16) & 0x3).toBe(parseInt(digest[16]!, 16) & 0x3);
    expect(guid.slice(17)).toBe(digest.slice(17));
  });

  it("is stable across calls", () => {
    expect(moduleGuid("WebServer")).toBe(moduleGuid("WebServer"));
  });

  it("ignores the case of the name", () => {
    expect(moduleGuid("FLEETFORM.RUNTIME")).toBe("4f35ebf1-9635-5eae-96f3-9b02393dbd8d");
    expect(moduleGuid("webserver")).toBe(moduleGuid("WebServer"));
  });

  it("differs for different names", () => {
    const names = ["WebServer", "WebServers", "DbServer", "Web.Server", "Fleetform.Runtime", "Fleetform.Runtime2", "a", "b", ""];
    const guids = names.map(moduleGuid);
    expect(new Set(guids).size).toBe(names.length);
  });
});
