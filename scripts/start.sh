#!/usr/bin/env bash
# `npm start`: opens the sample workspace with the extension live. Desktop VS Code when `code` is on
# PATH; otherwise VS Code in the browser (code-server on 127.0.0.1), whose URL is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Install dependencies when missing or older than the lockfile.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build

if command -v code >/dev/null 2>&1; then
  exec code --extensionDevelopmentPath="$PWD" samples/workspace
fi
exec node scripts/serve-vscode.mjs samples/workspace
