import { defineConfig } from "fleetform";

// The template goes through S3 (aws cloudformation deploy --s3-bucket): no FF4007 for its size.
export default defineConfig({ layers: ["platform", "application", "role"], stack: { deployFromS3: true } });
