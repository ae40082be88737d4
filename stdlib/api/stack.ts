// Values that CloudFormation resolves when the stack deploys: stack parameters (!Ref) and
// substitutions (!Sub). A plain string that merely contains `${...}` is never a substitution.
import { brand, captureSite, KIND, type Site } from "./brand.js";

/** A stack parameter of cloudformation/systems-manager.yaml, rendered as `!Ref Name`. */
export interface StackParameter {
  readonly [KIND]: "stack";
  readonly form: "ref";
  readonly name: string;
  readonly site?: Site;
}

/** A `!Sub` string built with the `sub` tagged template. */
export interface StackSub {
  readonly [KIND]: "stack";
  readonly form: "sub";
  readonly strings: readonly string[];
  readonly parameters: readonly StackParameter[];
  readonly site?: Site;
}

export type StackValue = StackParameter | StackSub;

/** A stack parameter declared in defineConfig's `stack.parameters` (e.g. the environment name). */
export function stackParameter(name: string): StackParameter {
  return brand("stack", { form: "ref" as const, name, site: captureSite(stackParameter) });
}

/** A `!Sub` string: `sub\`windows-${stackParameter("Environment")}\`` gives `!Sub "windows-${Environment}"`. */
export function sub(strings: TemplateStringsArray, ...parameters: StackParameter[]): StackSub {
  return brand("stack", { form: "sub" as const, strings: [...strings], parameters, site: captureSite(sub) });
}

export function isStackValue(value: unknown): value is StackValue {
  return typeof value === "object" && value !== null && (value as { [KIND]?: string })[KIND] === "stack";
}
