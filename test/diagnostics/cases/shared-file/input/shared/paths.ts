// Paths every module writes to.
export const logRoot = "C:\\ProgramData\\DocuTAP\\Logs";
