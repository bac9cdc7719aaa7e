#!/bin/sh
# Entry of the hooks in .pre-commit-hooks.yaml. pre-commit runs it from its own clone of
# this repository, where dist/ does not exist (it is built, not committed): build the CLI
# there once, from the npm registry only (--ignore-scripts: no native builds, which would
# fetch Node headers from elsewhere), then run it on the repository being committed.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ]; then
  echo "middleware-codemod: first run, building the CLI in $here" >&2
  # tsc exits non-zero on type errors yet still emits; whether main.js exists is what counts.
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 && ./node_modules/.bin/tsc -p tsconfig.json >&2) || true
  [ -f "$here/dist/cli/main.js" ] || { echo "middleware-codemod: building the CLI failed" >&2; exit 2; }
fi
exec node "$here/dist/cli/main.js" "$@"
