// dsc/<Config>/localhost.mof and localhost.meta.mof for each configuration.
import type * as ir from "../../3-lower/ir.js";
import type { EmittedFile } from "../files.js";
import { configurationMof, encodeMof, metaMof } from "./document.js";

export { emitDscResources } from "./resource-module.js";

export function emitDscDocuments(c: ir.Configuration, program: ir.Program): EmittedFile[] {
  const types = new Map(program.modules.flatMap((m) => m.resources.map((r) => [`${m.name}\0${r.name}`, r] as const)));
  // Properties of our own classes in the order of their parameters (keys first, then by name);
  // in-box classes in schema-name order unless their Windows order is known.
  const order = (r: ir.Resource): readonly string[] => types.get(`${r.type.module}\0${r.type.name}`)?.properties.map((p) => p.name) ?? r.properties.map((p) => p.name);
  const format = program.dsc.format;
  return [
    { path: `dsc/${c.name}/localhost.mof`, content: encodeMof(configurationMof(c, program.dsc, order), format), source: c.source },
    { path: `dsc/${c.name}/localhost.meta.mof`, content: encodeMof(metaMof(c, program.dsc), format), source: c.source },
  ];
}
