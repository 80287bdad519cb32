// The repository's own ESLint rules, loaded by eslint.config.mjs as the plugin `enforcement`.
module.exports = {
  meta: { name: 'enforcement' },
  rules: {
    'no-folder-cycles': require('./no-folder-cycles'),
    'typeorm-in-repositories': require('./typeorm-in-repositories'),
  },
};
