module.exports = {
  ...require('../jest.preset.js'),
  roots: ['<rootDir>'],
  testPathIgnorePatterns: ['/dist/', '/node_modules/'],
  setupFilesAfterEnv: ['<rootDir>/lib/e2e-datapath-setup.ts'],
  testTimeout: 180000,
};
