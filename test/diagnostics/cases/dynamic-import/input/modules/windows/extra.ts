export const timeZone = "UTC";
