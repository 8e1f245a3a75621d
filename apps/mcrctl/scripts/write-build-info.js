// Records what a build was made from (dist/build-info.json), for `mcrctl --version`: the git
// commit, marked "-dirty" when the work tree had changes. Outside a git checkout (a source
// tarball) the commit is "unknown"; the build never fails for it.
const { execFileSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

function git(args) {
  return execFileSync('git', args, { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

let commit = 'unknown';
try {
  commit = git(['rev-parse', '--short=12', 'HEAD']);
  if (git(['status', '--porcelain', '--untracked-files=no']) !== '') commit += '-dirty';
} catch {
  // not a git checkout, or no git: keep "unknown"
}
writeFileSync(join(__dirname, '..', 'dist', 'build-info.json'), `${JSON.stringify({ commit })}\n`);
