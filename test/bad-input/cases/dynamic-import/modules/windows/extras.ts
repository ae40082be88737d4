export const extras = 1;
