// The rules for a command name fleetform defines or calls: Verb-Noun, an approved verb for the
// functions it generates, and no name of a Windows PowerShell 5.1 in-box command. The check phase
// applies them to every definition it sees, lowering to a definition made inside a callback.
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { APPROVED_VERBS, splitCommandName, VERB_SUGGESTIONS } from "../util/verbs.js";
import { inboxCommand } from "./link.js";

/** The problems of a command name (`ours`: a function fleetform generates); `where` is asked only when there is one. */
export function commandNameProblems(name: unknown, where: () => Span | undefined, { ours }: { readonly ours: boolean }): Diagnostic[] {
  const parts = typeof name === "string" ? splitCommandName(name) : undefined;
  if (!parts) return [diag("CommandNameInvalid", { name: String(name) }, where())];
  const problems: Diagnostic[] = [];
  if (ours) {
    const inbox = inboxCommand(String(name));
    if (inbox) problems.push(diag("ShadowsInbox", { what: "function", name: String(name), inbox }, where()));
  }
  if (ours && !APPROVED_VERBS.has(parts.verb)) {
    const instead = VERB_SUGGESTIONS[parts.verb];
    problems.push(diag("UnapprovedVerb", { name: String(name), verb: parts.verb, suggestion: instead ? `; use ${instead}` : " (see Get-Verb)" }, where()));
  }
  return problems;
}
