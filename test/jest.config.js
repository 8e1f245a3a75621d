module.exports = {
  ...require('../jest.preset.js'),
  roots: ['<rootDir>'],
  testPathIgnorePatterns: ['/dist/', '/node_modules/'],
  testTimeout: 180000,
};
