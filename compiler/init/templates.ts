// The files `fleetform init` writes: a small config repo that builds and passes `fleetform test` as
// generated. One module per layer (platform, application), two resources, one configuration, and
// the pipeline stack's template (pipeline.yaml).
import { pipelineYaml, starterPipelineInput } from "../phases/4-emit/cloudformation/pipeline.js";

/** The stack prefix of a new repo: its name, unless SSM reserves that start (aws, amazon, amzn); at most 60 characters. */
export function starterPrefix(name: string): string {
  return (/^(aws|amazon|amzn)/i.test(name) ? `fleet-${name}` : name).slice(0, 60).replace(/-+$/, "");
}

export function initFiles(name: string, version: string): Record<string, string> {
  const prefix = starterPrefix(name);
  return {
    // The pipeline stack, deployed by hand once; the same text as the build's dist/cloudformation/pipeline.yaml.
    "pipeline.yaml": pipelineYaml(starterPipelineInput(prefix)),
    "package.json":
      JSON.stringify(
        {
          name,
          private: true,
          type: "module",
          scripts: { build: "fleetform build", check: "fleetform check", test: "fleetform build && fleetform test" },
          devDependencies: { fleetform: `^${version}` },
        },
        null,
        2,
      ) + "\n",
    "tsconfig.json":
      JSON.stringify(
        {
          // lib: the ES library only (no DOM: the sources run at build time, in Node.js, and
          // describe PowerShell); types: no @types package is pulled in from node_modules.
          compilerOptions: { target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
          include: ["fleetform.config.ts", "modules/**/*.ts", "configurations/**/*.ts"],
        },
        null,
        2,
      ) + "\n",
    ".gitignore": "node_modules/\ndist/\n",
    "fleetform.config.ts": `// The layers, lowest first: a module may only import modules of a lower layer.
import { defineConfig } from "fleetform";

const config = defineConfig({
  layers: ["platform", "application"],
  stack: {
    // Names the SSM documents, the stacks, the CodeDeploy application and the pipeline's resources.
    prefix: "${prefix}",
    // The tag values your instances carry; association targets are checked against them.
    tags: { Role: ["web"] },
  },
});
export default config;

// Registers this config with fleetform's types: each module's \`layer\` is offered and checked
// against \`layers\` above in the editor and by the type check.
declare module "fleetform" {
  interface Register {
    config: typeof config;
  }
}
`,
    "modules/platform/index.ts": `// Platform layer: building blocks every server shares.
import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Platform", layer: "platform", version: "1.0.0", description: "Building blocks every server shares" });

/** The registry path of this fleet's settings. */
export const getSettingsKey = fn({
  name: "Get-SettingsKey",
  description: "The registry key this fleet keeps its settings under.",
  params: { area: t.string({ pattern: /^[A-Za-z]+$/ }) },
  returns: t.string(),
  body: ({ area }) => ps\`'HKLM:\\SOFTWARE\\Fleet\\{0}' -f \${area}\`,
});

/** A registry string value under the fleet's settings key. */
export const Setting = resource({
  name: "Setting",
  description: "A registry string value under the fleet's settings key holds the desired data",
  properties: {
    area: t.string({ key: true, pattern: /^[A-Za-z]+$/ }),
    name: t.string({ key: true }),
    data: t.string(),
  },
  get: ({ area, name }) => ps\`
    $value = Get-ItemProperty -LiteralPath \${getSettingsKey({ area })} -Name \${name} -ErrorAction SilentlyContinue
    @{ Data = $(if ($null -ne $value) { $value.\${ps.raw("$Name")} } else { $null }) }
  \`,
  test: ({ area, name, data }) => ps\`
    $value = Get-ItemProperty -LiteralPath \${getSettingsKey({ area })} -Name \${name} -ErrorAction SilentlyContinue
    ($null -ne $value) -and ($value.\${ps.raw("$Name")} -eq \${data})
  \`,
  set: ({ area, name, data }) => ps\`
    $key = \${getSettingsKey({ area })}
    if (-not (Test-Path -LiteralPath $key)) { New-Item -Path $key -Force | Out-Null }
    Set-ItemProperty -LiteralPath $key -Name \${name} -Value \${data} -Type String
  \`,
});
`,
    "modules/app/index.ts": `// Application layer: what the web application needs.
import { defineModule, ps, resource, t } from "fleetform";
import { getSettingsKey } from "../platform/index.js";

export const module = defineModule({ name: "App", layer: "application", version: "1.0.0", description: "The web application's folders and settings" });

/** A folder of the application exists. */
export const AppFolder = resource({
  name: "AppFolder",
  description: "A folder of the application exists",
  properties: { path: t.string({ key: true, pattern: /^[A-Za-z]:\\\\/ }) },
  get: ({ path }) => ps\`@{ Path = \${path}; Exists = (Test-Path -LiteralPath \${path} -PathType Container) }\`,
  test: ({ path }) => ps\`Test-Path -LiteralPath \${path} -PathType Container\`,
  set: ({ path }) => ps\`
    New-Item -Path \${path} -ItemType Directory -Force | Out-Null
    Set-ItemProperty -LiteralPath \${getSettingsKey({ area: "App" })} -Name 'Folder' -Value \${path} -ErrorAction SilentlyContinue
  \`,
});
`,
    "configurations/web.ts": `// Web servers: every 30 minutes, on instances tagged Role=web.
import { configuration } from "fleetform";
import { Setting } from "../modules/platform/index.js";
import { AppFolder } from "../modules/app/index.js";

export default configuration({
  name: "Web",
  description: "Web servers: the application folder and its settings",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    appFolder: AppFolder({ path: "C:\\\\App" }),
    appSetting: Setting({ area: "App", name: "Environment", data: "production" }, { dependsOn: ["appFolder"] }),
  },
});
`,
    "buildspec.yml": `# CodeBuild (Linux standard image): build, run the generated Pester tests (a failing test fails
# the build), publish the JUnit report, upload the DSC documents AWS-ApplyDSCMofs reads, and hand
# dist/ to the pipeline: it is the CodeDeploy revision as it is (appspec.yml at its root) and holds
# the CloudFormation templates the pipeline deploys (pipeline.yaml's stack runs this file).
version: 0.2

phases:
  install:
    runtime-versions:
      nodejs: 20
    commands:
      - npm ci
      # PowerShell 7 (the image's pwsh, else from NuGet with the image's .NET SDK) and Pester 5.7.1
      # from NuGet, into .fleetform/tools; no PowerShell Gallery.
      - npx fleetform setup
  build:
    commands:
      # --require-pwsh: a build whose PowerShell fragments could not be checked fails (exit 5).
      # --cache-dir: fleetform's build cache, which CodeBuild keeps between builds (cache: below).
      - npx fleetform build --require-pwsh --cache-dir .fleetform/cache
      - npx fleetform test --junit reports/pester-junit.xml
  post_build:
    commands:
      # post_build also runs after a failed build: publish nothing then. Each DSC document goes to
      # dsc/<Config>/<its sha256, 16 digits>/ and nothing is deleted: no instance reads it until the
      # Systems Manager stack's change set (which names that key) is executed, after the approval
      # and after CodeDeploy installed the modules. MOF_BUCKET and MOF_PREFIX are set by the pipeline
      # stack's CodeBuild project (its artifact bucket, mofs/): the Systems Manager stack's
      # MofBucketName and MofKeyPrefix. Unset, nothing is uploaded.
      - 'if [ "$CODEBUILD_BUILD_SUCCEEDING" = "1" ] && [ -n "$MOF_BUCKET" ] && [ -d dist/dsc ]; then (set -e; for d in dist/dsc/*/; do c=$(basename "$d"); h=$(sha256sum "$d/localhost.mof" | cut -c1-16); aws s3 cp "$d" "s3://$MOF_BUCKET/\${MOF_PREFIX}dsc/$c/$h/" --recursive; done); fi'

reports:
  pester:
    files:
      - pester-junit.xml
    base-directory: reports
    file-format: JUNITXML

artifacts:
  base-directory: dist
  files:
    - "**/*"

# fleetform's build cache (whole builds, the type check, PowerShell's findings, by content hash):
# kept by the CodeBuild project's cache (the pipeline stack's project keeps it in S3), so a build
# of unchanged sources takes seconds. Deleting it is always safe.
cache:
  paths:
    - ".fleetform/cache/**/*"
`,
    "README.md": `# ${name}

A fleetform config repo: PowerShell configuration for Windows instances, written in TypeScript.

\`\`\`sh
npm install                              # fleetform and its TypeScript
npx fleetform setup                      # PowerShell 7 and Pester 5, for the checks and the tests
npx fleetform build                      # dist/: modules, SSM documents, DSC documents, CloudFormation, CodeDeploy, tests
npx fleetform test                       # the generated Pester tests, under PowerShell 7 with Pester 5
npx fleetform plan --base origin/main    # what a change does, as Markdown for its pull request
\`\`\`

To deploy, create the pipeline stack once; it builds, tests and deploys every push to the branch:

\`\`\`sh
aws cloudformation deploy --template-file pipeline.yaml --stack-name ${prefix}-pipeline \\
  --capabilities CAPABILITY_IAM --parameter-overrides RepositoryId=<owner>/<repo> BranchName=main
\`\`\`

then confirm the connection it created in the console (Developer Tools > Settings > Connections).
When a build's dist/cloudformation/pipeline.yaml differs from pipeline.yaml, copy it over and deploy it again.
`,
  };
}
