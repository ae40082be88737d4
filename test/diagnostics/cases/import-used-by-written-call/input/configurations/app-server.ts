import { configuration } from "fleetform";
import { EmrService } from "../modules/emr/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    emrService: EmrService({ name: "DocuTapEmr" }),
  },
});
