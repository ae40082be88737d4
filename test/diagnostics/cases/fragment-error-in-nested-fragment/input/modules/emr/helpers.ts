import { ps } from "fleetform";

// A helper's fragment, interpolated into a resource's: its mistake is reported here, where it is
// written, not at the ${...} that uses it.
export const describeIt = (name: string) => ps`
  Write-Output 'describing'
  Write-Output -InputObject ${name} (1 +)
`;
