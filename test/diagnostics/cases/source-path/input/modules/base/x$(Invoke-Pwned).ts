// The path of a source is written into comments of the generated PowerShell and into DSC documents.
export const settingsKey = "HKLM:\\SOFTWARE\\Contoso";
