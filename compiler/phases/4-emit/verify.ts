// Checks emitted artifacts against the targets' limits and schemas.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import { fleetformPackage } from "../../util/package.js";
import type * as ir from "../3-lower/ir.js";
import type { EmittedFile } from "./files.js";

export const SSM_DOCUMENT_LIMIT = 65536;
const SSM_SCHEMA = "ssm-command-document-2.2.schema.json";

let validateSsm: ValidateFunction | undefined;

function ssmValidator(): ValidateFunction {
  if (!validateSsm) {
    const schema = JSON.parse(readFileSync(join(fleetformPackage().root, "schemas", SSM_SCHEMA), "utf8")) as object;
    validateSsm = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validateSsm;
}

export function verify(ctx: CompileContext, program: ir.Program, files: readonly EmittedFile[]): void {
  for (const c of program.configurations) {
    const file = files.find((f) => f.path === `ssm/${c.name}.yaml`);
    if (!file) continue;
    const size = Buffer.byteLength(file.content, "utf8");
    if (size > SSM_DOCUMENT_LIMIT) ctx.diagnostics.add(diag("DocumentTooLarge", { configuration: c.name, size }, c.origin));
    const validate = ssmValidator();
    if (!validate(parse(file.content))) {
      const message = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`).join("; ");
      ctx.diagnostics.add(diag("SchemaViolation", { file: file.path, schema: SSM_SCHEMA, message }, c.origin));
    }
  }
}
