module.exports = { ...require('../jest.preset.js'), roots: ['<rootDir>'], testTimeout: 120000 };
