// 62 KB of change history per configuration: each SSM document fits its 64 KB, all 17 do not fit one template.
export const history = "x".repeat(62 * 1024);
