export const module = { name: "Legacy" };
