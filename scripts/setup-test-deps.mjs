#!/usr/bin/env node
// Installs the test dependencies that do not come from npm or NuGet:
//   - PyYAML for /usr/bin/python3 (Debian's python3-yaml): the YAML 1.1 reader that
//     test/delivery/yaml-1.1.test.ts reads every emitted YAML file with, as CloudFormation reads it.
// Idempotent and quick when it is already there. With CI=true any failure exits 1; locally it exits
// 0 with a loud warning (the YAML 1.1 tests then fail, they never skip).
import { execFileSync } from "node:child_process";

const ci = process.env.CI === "true" || process.env.CI === "1";
const PYTHON = "/usr/bin/python3";

function fail(message) {
  const text = `setup-test-deps: ${message}`;
  if (ci) {
    console.error(text);
    process.exit(1);
  }
  console.warn(`\n!!! ${text}\n!!! The YAML 1.1 tests (test/delivery/yaml-1.1.test.ts) will fail until this is fixed.\n`);
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

if (!hasPyYaml()) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    fail(`PyYAML is missing for ${PYTHON}; install Debian's package: sudo apt-get update && sudo apt-get install -y python3-yaml`);
  }
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "python3-yaml"], { stdio: ["ignore", "ignore", "inherit"], env });
  } catch (e) {
    fail(`apt-get install python3-yaml failed: ${e.message}`);
  }
  if (!hasPyYaml()) fail(`python3-yaml is installed but ${PYTHON} cannot import yaml`);
}
