// Shared by the plan tests.

/**
 * The plan as expected.json holds it: sha256 values shown as "sha256" (they change with every
 * emitter change; the file lists and statuses are what the cases are about). plan.test.ts checks
 * the real values.
 */
export function goldenJson(plan: unknown): string {
  return JSON.stringify(plan, (_, v: unknown) => (typeof v === "string" && /^[0-9a-f]{64}$/.test(v) ? "sha256" : v), 2) + "\n";
}
