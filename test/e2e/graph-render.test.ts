// `fleetform graph` as a reviewer sees it: the SVG (laid out by Graphviz) and the Mermaid text
// (rendered by the `mermaid` package, as GitHub renders a mermaid block) opened in headless
// Chromium (Debian's chromium, installed by scripts/setup-test-deps.mjs and .ci/run; no browser
// download). Each test reads the rendered page's DOM (every module and configuration name must be
// in the drawn picture) and takes a screenshot that must not be blank (pixel variance).
//
// The screenshots of the example are kept in test/e2e/graph-screenshots/ to be looked at when they
// change. They are update-only, never compared: fonts and anti-aliasing differ between machines,
// so a byte or pixel comparison would fail on a CI runner for no reason. UPDATE_SNAPSHOTS=1
// rewrites them (review them by eye). Without chromium the tests skip locally and fail in CI.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";

const CHROMIUM = "/usr/bin/chromium";
const ci = process.env.CI === "true" || process.env.CI === "1";
const haveChromium = existsSync(CHROMIUM);
if (ci && !haveChromium) throw new Error(`${CHROMIUM} is missing (Debian's chromium: apt-get install -y chromium); CI runs the picture tests`);

const bin = join(repoRoot, "bin", "fleetform.js");
const NAMES = ["Windows", "Emr", "PracticeManagement", "ServerRoles", "AppServer", "DatabaseServer", "WindowsBaseline"];
const shots = join(repoRoot, "test", "e2e", "graph-screenshots");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const dir = mkdtempSync(join(work, "graph-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function graph(format: string): string {
  const r = spawnSync(process.execPath, [bin, "graph", "examples/docutap", "--format", format], { cwd: repoRoot, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

function chromium(args: readonly string[], page: string): string {
  const profile = mkdtempSync(join(dir, "profile-"));
  const r = spawnSync(
    CHROMIUM,
    ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files", "--no-first-run", `--user-data-dir=${profile}`, "--virtual-time-budget=20000", "--window-size=1400,900", ...args, pathToFileURL(page).href],
    { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** RGBA pixels of an 8-bit PNG (RGB or RGBA, non-interlaced: what Chromium writes). */
function pixels(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString("latin1", pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
      expect(data[12]).toBe(0);
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      cur[x] = (line[x]! + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = cur[x * channels + k]!;
      out[(y * width + x) * 4 + 3] = channels === 4 ? cur[x * channels + 3]! : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/** Variance of the grey level, and the share of pixels that are not near-white. */
function inkOf(png: Buffer): { variance: number; ink: number } {
  const { width, height, rgba } = pixels(png);
  let sum = 0;
  let sq = 0;
  let ink = 0;
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const g = (rgba[i * 4]! + rgba[i * 4 + 1]! + rgba[i * 4 + 2]!) / 3;
    sum += g;
    sq += g * g;
    if (g < 200) ink++;
  }
  const mean = sum / n;
  return { variance: sq / n - mean * mean, ink: ink / n };
}

function screenshot(page: string, name: string): Buffer {
  const file = join(dir, `${name}.png`);
  chromium([`--screenshot=${file}`], page);
  const png = readFileSync(file);
  const { variance, ink } = inkOf(png);
  // A blank (all white) page has variance 0 and no ink; the drawn graph has boxes, arrows and text.
  expect(variance).toBeGreaterThan(100);
  expect(ink).toBeGreaterThan(0.005);
  const kept = join(shots, `${name}.png`);
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(kept)) copyFileSync(file, kept);
  return png;
}

/** The text of the drawn picture: the page's <svg> elements only (not the Mermaid source). */
function svgText(dom: string): string {
  const svgs = dom.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  return svgs.join("\n").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
}

describe.skipIf(!haveChromium)("the graph in a browser", () => {
  it("the SVG from Graphviz shows every module and configuration", () => {
    const page = join(dir, "graph.html");
    writeFileSync(page, `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">${graph("svg").replace(/^[\s\S]*?(<svg)/, "$1")}</body></html>`);
    const text = svgText(chromium(["--dump-dom"], page));
    for (const name of NAMES) expect(text).toContain(name);
    screenshot(page, "docutap-svg");
  }, 240_000);

  it("the Mermaid text, rendered by mermaid, shows every module and configuration", () => {
    const source = graph("mermaid");
    const page = join(dir, "mermaid.html");
    const mermaidJs = pathToFileURL(join(repoRoot, "node_modules", "mermaid", "dist", "mermaid.min.js")).href;
    const escaped = source.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    writeFileSync(
      page,
      `<!doctype html><html><head><meta charset="utf-8"><script src="${mermaidJs}"></script></head><body style="margin:0;background:#fff">` +
        `<pre class="mermaid">${escaped}</pre><script>mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });` +
        `mermaid.run().then(() => document.body.setAttribute("data-rendered", "yes"), (e) => document.body.setAttribute("data-rendered", "error: " + e.message));</script></body></html>`,
    );
    const dom = chromium(["--dump-dom"], page);
    expect(/data-rendered="([^"]*)"/.exec(dom)?.[1]).toBe("yes");
    const text = svgText(dom);
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain("SSM_Association = windows-prod");
    screenshot(page, "docutap-mermaid");
  }, 240_000);
});
