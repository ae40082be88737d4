import type * as ir from "../3-lower/ir.js";
import type { EmittedFile } from "./files.js";
import { emitManifest } from "./manifest/index.js";
import { emitDscResourceTests } from "./pester/dsc-resources.js";
import { emitConfigurationTests, emitModuleTests, emitStubModules, emitTestRunner } from "./pester/index.js";
import { emitConfiguration } from "./powershell/configuration.js";
import { emitModule } from "./powershell/module.js";
import { emitBaseSchema, emitSsm, emitSsmSchema } from "./ssm/index.js";
import { emitDscDocuments, emitDscResources } from "./mof/index.js";
import { emitCloudFormation } from "./cloudformation/index.js";
import { emitCodeDeploy } from "./codedeploy/index.js";

export type { EmittedFile } from "./files.js";

/** IR in, files out (as data: nothing here touches the file system). Sorted by path. */
export function emit(program: ir.Program): EmittedFile[] {
  const files: EmittedFile[] = [];
  for (const f of program.runtime.files) {
    files.push({ path: `modules/${program.runtime.name}/${f.path}`, content: f.content, source: `fleetform:stdlib/runtime/${program.runtime.name}/${f.path}` });
  }
  for (const m of program.modules) {
    files.push(...emitModule(m), emitModuleTests(m), ...emitDscResources(m));
    const dscTests = emitDscResourceTests(m);
    if (dscTests) files.push(dscTests);
  }
  for (const c of program.configurations) {
    if (c.delivery.runCommand) files.push(...emitConfiguration(c, program), emitSsm(c), emitSsmSchema(c), emitConfigurationTests(c, program));
    if (c.dscDocument) files.push(...emitDscDocuments(c, program));
  }
  if (program.configurations.some((c) => c.delivery.runCommand)) files.push(emitBaseSchema(program.ssmSchema));
  files.push(...emitStubModules(program), emitTestRunner(), emitCloudFormation(program), ...emitCodeDeploy(program));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...files, emitManifest(files, program)];
}
