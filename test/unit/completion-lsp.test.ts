// What authors see in an editor on TypeScript 7: its own language server (`tsc --lsp --stdio` from
// the `typescript` 7 package), driven over JSON-RPC on stdio like an editor does, on the same
// fixture config repo as completion.test.ts (which asks ts-morph's TypeScript 5 language service).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";

const fixture = join(repoRoot, "test", "fixtures", "completion");
const siteFile = join(fixture, "configurations", "site.ts");
const moduleFile = join(fixture, "modules", "base", "index.ts");
const REQUEST_TIMEOUT_MS = 30_000;

/** The native executable `typescript/bin/tsc` runs (the same lookup as typescript/lib/getExePath.js). */
function typescript7(): string {
  const require = createRequire(join(repoRoot, "package.json"));
  const pkgFile = require.resolve("typescript/package.json");
  const version = (JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string }).version;
  if (!version.startsWith("7.")) throw new Error(`node_modules/typescript is ${version}, not TypeScript 7`);
  const platformPkg = createRequire(pkgFile).resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
  const exe = join(dirname(platformPkg), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
  if (!existsSync(exe)) throw new Error(`TypeScript 7's executable is missing: ${exe}`);
  return exe;
}

interface Message {
  readonly jsonrpc: "2.0";
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/** A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin/stdout. */
class LspClient {
  private readonly server: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly versions = new Map<string, number>();
  private stderr = "";
  private exited: string | undefined;

  constructor(exe: string, cwd: string) {
    this.server = spawn(exe, ["--lsp", "--stdio"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.server.stdout!.on("data", (chunk: Buffer) => this.receive(chunk));
    this.server.stderr!.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.server.on("exit", (code, signal) => {
      this.exited = `the language server exited (${signal ?? code})${this.stderr ? `: ${this.stderr}` : ""}`;
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(this.exited));
      }
      this.pending.clear();
    });
    this.server.on("error", (e) => (this.exited = String(e)));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = /Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, end).toString("ascii"));
      if (!length) throw new Error(`bad LSP header: ${this.buffer.subarray(0, end).toString()}`);
      const start = end + 4;
      if (this.buffer.length < start + Number(length[1])) return;
      const message = JSON.parse(this.buffer.subarray(start, start + Number(length[1])).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(start + Number(length[1]));
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && typeof message.id === "number") {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.error) p.reject(new Error(`LSP error ${message.error.code}: ${message.error.message}`));
      else p.resolve(message);
    } else if (message.method !== undefined && message.id !== undefined) {
      // A request from the server (workspace/configuration, client/registerCapability ...): answer
      // as an editor without settings does.
      const items = (message.params as { items?: unknown[] } | undefined)?.items;
      this.write({ jsonrpc: "2.0", id: message.id, result: message.method === "workspace/configuration" ? (items ?? []).map(() => null) : null });
    }
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.server.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  request<T>(method: string, params?: unknown): Promise<T> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from the language server in ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: (m) => resolve(m.result as T), reject, timer });
      this.write({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
  }

  /** Opens a file with the given text (or replaces the text of an open one), as an editor buffer. */
  open(file: string, text: string): Doc {
    const uri = pathToFileURL(file).href;
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    if (version === 1) this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version, text } });
    else this.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    return { uri, text };
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.server.once("exit", () => resolve()));
    try {
      // The shutdown request and exit notification take no params.
      await Promise.race([this.request("shutdown"), new Promise((r) => setTimeout(r, 5000))]);
      this.notify("exit");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      if (!this.exited) this.server.kill("SIGKILL");
    }
  }
}

interface Doc {
  readonly uri: string;
  readonly text: string;
}

/** The LSP position (line, UTF-16 column) `delta` characters after the first `needle` in the text. */
function position(doc: Doc, needle: string, delta: number): { line: number; character: number } {
  const i = doc.text.indexOf(needle);
  expect(i, needle).toBeGreaterThanOrEqual(0);
  const before = doc.text.slice(0, i + delta).split("\n");
  return { line: before.length - 1, character: before.at(-1)!.length };
}

let client: LspClient;
const site = readFileSync(siteFile, "utf8");
const mod = readFileSync(moduleFile, "utf8");

async function completions(doc: Doc, needle: string, delta: number): Promise<string[]> {
  type Item = { label: string };
  const result = await client.request<{ items: Item[] } | Item[] | null>("textDocument/completion", {
    textDocument: { uri: doc.uri },
    position: position(doc, needle, delta),
    context: { triggerKind: 1 },
  });
  return (Array.isArray(result) ? result : (result?.items ?? [])).map((i) => i.label);
}

async function hover(doc: Doc, needle: string, delta: number): Promise<string> {
  const result = await client.request<{ contents: { value: string } | string } | null>("textDocument/hover", { textDocument: { uri: doc.uri }, position: position(doc, needle, delta) });
  const contents = result?.contents;
  return typeof contents === "string" ? contents : (contents?.value ?? "");
}

beforeAll(async () => {
  // lib/ holds the package's .d.ts files ("fleetform" resolves to them): `npm test` builds it first.
  client = new LspClient(typescript7(), fixture);
  await client.request("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(fixture).href,
    workspaceFolders: [{ uri: pathToFileURL(fixture).href, name: "completion" }],
    capabilities: { textDocument: { hover: { contentFormat: ["markdown", "plaintext"] }, completion: { completionItem: { snippetSupport: false } } } },
  });
  client.notify("initialized", {});
});

afterAll(async () => {
  await client?.close();
});

describe("TypeScript 7 language server: completion in a configuration", () => {
  it("offers a resource's property names", async () => {
    const doc = client.open(siteFile, site.replace('ServiceState({ serviceName: "WAS", startupType: "Manual" }', "ServiceState({  }"));
    expect(await completions(doc, "ServiceState({  }", "ServiceState({ ".length)).toEqual(expect.arrayContaining(["serviceName", "startupType"]));
  });

  it("offers an enum property's values", async () => {
    const doc = client.open(siteFile, site);
    expect((await completions(doc, 'startupType: "Automatic"', 'startupType: "'.length)).sort()).toEqual(["Automatic", "Disabled", "Manual"]);
  });

  it("shows TSDoc in hovers: the resource's own doc comment and the API's", async () => {
    const doc = client.open(siteFile, site);
    expect(await hover(doc, 'ServiceState({ serviceName: "W3SVC"', 2)).toContain("A Windows service runs with the desired start mode");
    expect(await hover(doc, "schedule:", 2)).toMatch(/rate\(30 minutes\)/);
    expect(await hover(doc, "targets:", 2)).toMatch(/case-sensitive/);
  });

  it("reports a misspelt dependsOn id as a type error naming the configuration's ids", async () => {
    const doc = client.open(siteFile, site.replace('dependsOn: ["w3svc"]', 'dependsOn: ["w3svcc"]'));
    const report = await client.request<{ items?: { message: string }[] }>("textDocument/diagnostic", { textDocument: { uri: doc.uri } });
    expect((report.items ?? []).map((d) => d.message).join("\n")).toMatch(/"w3svcc"' is not assignable to type '"w3svc" \| "was"'/);
  });

  // Not offered by TypeScript 7 (nor by TypeScript 5: completion.test.ts only sees the id already
  // typed echoed back). While completing, the server leaves the string out of inference: the
  // instance's `const D` then has no candidate, and the ids reach the call only by return-type
  // inference from `resources`, which TypeScript 7 does not combine with a type parameter inferred
  // from the strings (see the reproduction below). `it.fails`: it turns red once TypeScript offers it.
  it.fails("offers the configuration's own resource ids in an empty dependsOn string", async () => {
    const doc = client.open(siteFile, site.replace('dependsOn: ["w3svc"]', 'dependsOn: [""]'));
    expect(await completions(doc, 'dependsOn: [""]', 'dependsOn: ["'.length)).toContain("w3svc");
  });

  // TypeScript 7 shows no documentation for properties of a mapped type (PropValues), so neither
  // the JSDoc comment on the property in the resource definition nor `description` reaches the
  // hover; TypeScript 5 shows the JSDoc. See the reproduction below.
  it.fails("shows a property's JSDoc in the hover of the property", async () => {
    const doc = client.open(siteFile, site);
    expect(await hover(doc, 'serviceName: "W3SVC"', 2)).toContain("The service's short name.");
  });
});

// The two limits above, each in a tiny file without fleetform (test/fixtures/lsp-repro), next to
// the form TypeScript 7 does support, so a test shows the client reads what the server offers.
describe("TypeScript 7 language server: minimal reproductions of what it does not offer", () => {
  const repro = join(repoRoot, "test", "fixtures", "lsp-repro");
  const dependsOn = () => client.open(join(repro, "depends-on.ts"), readFileSync(join(repro, "depends-on.ts"), "utf8"));
  const hovers = () => client.open(join(repro, "hover.ts"), readFileSync(join(repro, "hover.ts"), "utf8"));

  it("completes ids in a configuration-level map keyed by the resource ids", async () => {
    expect(await completions(dependsOn(), 'dependsOn: { was: [""] }', 'dependsOn: { was: ["'.length)).toEqual(["w3svc"]);
  });

  it.fails("completes ids in a per-instance dependsOn checked by the configuration (fleetform's form)", async () => {
    expect(await completions(dependsOn(), 'resource({ name: "WAS" }, { dependsOn: [""] })', 'resource({ name: "WAS" }, { dependsOn: ["'.length)).toContain("w3svc");
  });

  it("completes ids in a per-instance dependsOn typed only by return-type inference, which then rejects correct ids", async () => {
    const doc = dependsOn();
    expect(await completions(doc, 'fromReturnType({ name: "WAS" }, { dependsOn: [""] })', 'fromReturnType({ name: "WAS" }, { dependsOn: ["'.length)).toEqual(["w3svc"]);
    // The same typing outside completion: the ids are not inferred, a correct id is an error.
    const report = await client.request<{ items?: { message: string; range: { start: { line: number } } }[] }>("textDocument/diagnostic", { textDocument: { uri: doc.uri } });
    const line = doc.text.slice(0, doc.text.indexOf('dependsOn: ["w3svc"] }) } }); // rejected')).split("\n").length - 1;
    expect((report.items ?? []).filter((d) => d.range.start.line === line).map((d) => d.message).join("\n")).toMatch(/'Instance<string>' is not assignable to type 'Instance<"was">'/);
  });

  it("shows the JSDoc of a property the parameter type declares", async () => {
    expect(await hover(hovers(), 'serviceName: "plain"', 2)).toContain("The service's short name.");
  });

  it.fails("shows the JSDoc of a property through a mapped type (Partial, or fleetform's PropValues)", async () => {
    expect(await hover(hovers(), 'serviceName: "mapped"', 2)).toContain("The service's short name.");
  });

  it.fails("shows the JSDoc of a property through an intersection with the declaring type", async () => {
    expect(await hover(hovers(), 'serviceName: "intersection"', 2)).toContain("The service's short name.");
  });
});

describe("TypeScript 7 language server: completion in a module", () => {
  it("offers the layers of the registered fleetform.config.ts", async () => {
    const doc = client.open(moduleFile, mod);
    expect(await completions(doc, 'layer: "platform"', 'layer: "'.length)).toEqual(["platform", "role"]);
  });
});
