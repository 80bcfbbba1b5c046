// TypeScript 5 for the consumer checks of test/package (the repo itself builds with TypeScript 6).
module.exports = require("typescript");
