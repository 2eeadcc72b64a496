#!/usr/bin/env bash
# `npm run example`: the app in examples/app against the package as users get it. Packs this
# checkout (prepack builds dist/), installs the tarball into the app next to each Convex version
# given (default: the lowest and the newest supported), and for each checks that no second convex
# is nested under tasknet, that plain Node imports tasknet and tasknet/schema, and runs the app's
# typecheck (three tsconfigs) and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(1.48.0 1.51.0)

tarball=$(npm pack --silent 2>/dev/null | tail -n 1)
mv "$tarball" examples/app/tasknet.tgz
cd examples/app
for convex in "${versions[@]}"; do
  echo "━━ examples/app with convex@$convex"
  rm -rf node_modules
  npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null
  npm install --no-audit --no-fund --no-package-lock --no-save --loglevel=error "convex@$convex" >/dev/null
  if [ -d node_modules/tasknet/node_modules/convex ]; then
    echo "a second copy of convex is nested under node_modules/tasknet"
    exit 1
  fi
  node -e "import('tasknet').then((m) => { if (!m.Builder || !m.workflowApi) process.exit(1) })"
  node -e "import('tasknet/schema').then((m) => { if (!m.tasknetTables) process.exit(1) })"
  node -e "const v = require('./node_modules/convex/package.json').version; if (v !== '$convex') { console.error('installed convex ' + v); process.exit(1) }"
  npm test
done
