export default { layers: ["platform", "application", "role"] };
