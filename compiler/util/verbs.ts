// Approved verbs of Windows PowerShell 5.1 (Get-Verb on 5.1). `Build` and `Deploy` were added in
// PowerShell 6 and warn on import in 5.1, so they are not here.
const VERBS = `Add Clear Close Copy Enter Exit Find Format Get Hide Join Lock Move New Open Optimize Pop Push Redo
Remove Rename Reset Resize Search Select Set Show Skip Split Step Switch Undo Unlock Watch
Backup Checkpoint Compare Compress Convert ConvertFrom ConvertTo Dismount Edit Expand Export Group Import
Initialize Limit Merge Mount Out Publish Restore Save Sync Unpublish Update
Approve Assert Complete Confirm Deny Disable Enable Install Invoke Register Request Restart Resume Start
Stop Submit Suspend Uninstall Unregister Wait
Debug Measure Repair Resolve Test Trace
Connect Disconnect Read Receive Send Write
Block Grant Protect Revoke Unblock Unprotect
Use`;

export const APPROVED_VERBS: ReadonlySet<string> = new Set(VERBS.split(/\s+/));

/** Common unapproved verbs and what to use instead. */
export const VERB_SUGGESTIONS: Readonly<Record<string, string>> = {
  Delete: "Remove",
  Create: "New",
  Make: "New",
  Fetch: "Get",
  Retrieve: "Get",
  Check: "Test",
  Verify: "Test",
  Validate: "Test",
  Ensure: "Set",
  Apply: "Set",
  Run: "Invoke",
  Execute: "Invoke",
  Build: "New (Build is PowerShell 6+ only)",
  Deploy: "Install (Deploy is PowerShell 6+ only)",
  Ping: "Test",
  Kill: "Stop",
  Change: "Set",
  Modify: "Set",
  Insert: "Add",
  Load: "Import",
};

export function splitCommandName(name: string): { verb: string; noun: string } | undefined {
  const m = /^([A-Za-z]+)-([A-Za-z][A-Za-z0-9]*)$/.exec(name);
  return m ? { verb: m[1]!, noun: m[2]! } : undefined;
}
