// Convenience re-exports for scripts that run on every server.
export { getEmrVersion } from "../emr/index.js";
