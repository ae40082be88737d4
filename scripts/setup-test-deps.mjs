#!/usr/bin/env node
// Installs the test dependencies that do not come from npm or NuGet:
//   - PyYAML for /usr/bin/python3 (Debian's python3-yaml): the YAML 1.1 reader that
//     test/delivery/yaml-1.1.test.ts reads every emitted YAML file with, as CloudFormation reads it;
//   - Chromium (Debian's chromium, at /usr/bin/chromium): the headless browser test/e2e/graph-render.test.ts
//     opens `fleetform graph`'s SVG and Mermaid text in, as a reviewer sees them (no browser download).
// Idempotent and quick when it is already there. With CI=true any failure exits 1; locally it exits
// 0 with a loud warning (the YAML 1.1 tests then fail, they never skip; the picture tests skip
// outside CI).
import { execFileSync } from "node:child_process";

const ci = process.env.CI === "true" || process.env.CI === "1";
const PYTHON = "/usr/bin/python3";

function fail(message) {
  const text = `setup-test-deps: ${message}`;
  if (ci) {
    console.error(text);
    process.exit(1);
  }
  console.warn(`\n!!! ${text}\n!!! The YAML 1.1 tests (test/delivery/yaml-1.1.test.ts) and the picture tests (test/e2e/graph-render.test.ts) need it.\n`);
  process.exit(0);
}

function hasPyYaml() {
  try {
    execFileSync(PYTHON, ["-c", "import yaml"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const CHROMIUM = "/usr/bin/chromium";

function hasChromium() {
  try {
    execFileSync(CHROMIUM, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const missing = [...(hasPyYaml() ? [] : ["python3-yaml"]), ...(hasChromium() ? [] : ["chromium", "fonts-dejavu-core"])];
if (missing.length > 0) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    fail(`${missing.join(" and ")} missing; install Debian's packages: sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`);
  }
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { stdio: ["ignore", "ignore", "inherit"], env });
  } catch (e) {
    fail(`apt-get install ${missing.join(" ")} failed: ${e.message}`);
  }
  if (!hasPyYaml()) fail(`python3-yaml is installed but ${PYTHON} cannot import yaml`);
  if (!hasChromium()) fail(`chromium is installed but ${CHROMIUM} --version fails`);
}
