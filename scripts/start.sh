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
# code-server (VS Code in the browser) builds a native module against the Kerberos headers.
if ! dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed'; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev </dev/null >/dev/null
  else
    echo "start: code-server needs the Kerberos headers: sudo apt-get install libkrb5-dev" >&2
  fi
fi
exec node scripts/serve-vscode.mjs samples/workspace
