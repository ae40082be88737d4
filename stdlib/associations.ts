// The fleet-wide associations the DocuTAP seed ran daily, with AWS-owned documents.
import { captureSite } from "./api/brand.js";
import { makeAwsAssociation, type AssociationOptions, type AwsAssociation, type Schedule, type TagTargets } from "./api/define.js";
import type { StackValue } from "./api/stack.js";

interface Common extends AssociationOptions {
  readonly targets: TagTargets;
  /** @default "rate(1 day)" */
  readonly schedule?: Schedule;
  readonly name?: string;
}

/** AWS-RunPatchBaseline with Operation=Scan: reports missing patches, installs nothing. */
export function patchBaselineScan(options: Common): AwsAssociation {
  return makeAwsAssociation({ name: "PatchBaselineScan", schedule: "rate(1 day)", ...options, document: "AWS-RunPatchBaseline", parameters: { Operation: "Scan" } }, captureSite(patchBaselineScan));
}

/** AWS-GatherSoftwareInventory: applications, AWS components, network, services, Windows roles and updates. */
export function softwareInventory(options: Common): AwsAssociation {
  return makeAwsAssociation({
    name: "SoftwareInventory",
    schedule: "rate(1 day)",
    ...options,
    document: "AWS-GatherSoftwareInventory",
    parameters: {
      applications: "Enabled",
      awsComponents: "Enabled",
      networkConfig: "Enabled",
      services: "Enabled",
      windowsRoles: "Enabled",
      windowsUpdates: "Enabled",
    },
  }, captureSite(softwareInventory));
}

/** AWS-UpdateSSMAgent, never downgrading (the seed allowed downgrades). */
export function updateSsmAgent(options: Common): AwsAssociation {
  return makeAwsAssociation({ name: "UpdateSsmAgent", schedule: "rate(1 day)", ...options, document: "AWS-UpdateSSMAgent", parameters: { allowDowngrade: "false" } }, captureSite(updateSsmAgent));
}

/**
 * AWS-ConfigureAWSPackage installing the CodeDeploy agent (Distributor package AWSCodeDeployAgent),
 * which the pipeline's deployments need on every instance they target; Windows AMIs do not carry
 * it. An association runs at once on an instance that starts matching its targets, then on the
 * schedule: AWS-ConfigureAWSPackage installs the latest version, so a run after AWS publishes a new
 * one reinstalls the agent (uninstall and reinstall). It is in the Systems Manager stack, which the
 * pipeline deploys after CodeDeploy: a new fleet's first release needs the agent installed with
 * the instance (AMI, user data, or one Run Command of AWS-ConfigureAWSPackage); README, "The instances".
 */
export function codeDeployAgent(options: Common): AwsAssociation {
  return makeAwsAssociation({ name: "CodeDeployAgent", schedule: "rate(1 day)", ...options, document: "AWS-ConfigureAWSPackage", parameters: { action: "Install", name: "AWSCodeDeployAgent" } }, captureSite(codeDeployAgent));
}

/**
 * AWS-ConfigureAWSPackage installing the unified CloudWatch agent (AmazonCloudWatchAgent), which
 * ships the runtime's log lines once cloudWatchAgentConfig() has configured it.
 */
export function cloudWatchAgent(options: Common): AwsAssociation {
  return makeAwsAssociation({ name: "CloudWatchAgent", schedule: "rate(1 day)", ...options, document: "AWS-ConfigureAWSPackage", parameters: { action: "Install", name: "AmazonCloudWatchAgent" } }, captureSite(cloudWatchAgent));
}

/**
 * AmazonCloudWatch-ManageAgent configuring the unified CloudWatch agent from a Parameter Store
 * parameter. Without `parameter`, the agent reads the configuration the systems-manager stack
 * generates from the runtime's log folder and line format (AmazonCloudWatch-<prefix>-fleetform).
 */
export function cloudWatchAgentConfig(options: Common & { readonly parameter?: string | StackValue }): AwsAssociation {
  const { parameter, ...rest } = options;
  return makeAwsAssociation({
    name: "CloudWatchAgentConfig",
    schedule: "rate(1 day)",
    ...rest,
    document: "AmazonCloudWatch-ManageAgent",
    parameters: {
      action: "configure",
      mode: "ec2",
      optionalConfigurationSource: "ssm",
      ...(parameter !== undefined ? { optionalConfigurationLocation: parameter } : {}),
      optionalRestart: "yes",
    },
  }, captureSite(cloudWatchAgentConfig));
}
