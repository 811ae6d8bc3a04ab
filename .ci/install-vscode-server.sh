#!/usr/bin/env bash
# Installs a real VS Code build (the 1.100.3 server + web workbench shipped inside the npm package
# code-server@4.100.3) and Debian's Chromium, so the extension tests run with no internet.
# See ../shared/docs/vscode-tests-offline.md for why each step is needed.
#
# Idempotent: the build is cached outside the repo, keyed by version, and a marker file makes
# reruns return at once. The only thing printed on stdout is the install's `package/` directory
# (logs go to stderr), so callers can do: CODE_SERVER_DIR="$(.ci/install-vscode-server.sh)".
#
# Env: PREVIEW_HOST_CACHE (default ~/.cache/preview-host), CODE_SERVER_VERSION (default 4.100.3).
set -euo pipefail

version="${CODE_SERVER_VERSION:-4.100.3}"
cache="${PREVIEW_HOST_CACHE:-$HOME/.cache/preview-host}"
dest="$cache/code-server-$version"
marker="$dest/.install-complete"
apt_packages=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium)

exec 3>&1 1>&2 # keep stdout for the result path only

log() { printf '[install-vscode-server] %s\n' "$*"; }

missing_apt_packages() {
  local p
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

install_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages)
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  log "apt packages missing: ${missing[*]}"
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
}

# Steps 2-7 of the doc, in $dest (already emptied).
install_code_server() {
  cd "$dest"
  log "npm pack code-server@$version"
  npm pack --silent "code-server@$version" >/dev/null
  tar -xzf "code-server-$version.tgz"
  rm "code-server-$version.tgz"

  cd "$dest/package/lib/vscode"
  log "lib/vscode: npm install --omit=dev --ignore-scripts"
  npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
  # With the binary in place, @vscode/ripgrep's postinstall skips its GitHub download.
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # node-pty's postinstall calls `npx node-gyp`; npm's `yes=false` would make npx refuse. The
  # native build stays offline only with npm's `nodedir` pointing at local Node headers.
  log "lib/vscode: npm rebuild (native modules)"
  npm_config_yes=true npm rebuild --loglevel=error
  ln -sfn node_modules node_modules.asar

  # code-server's own front (its /proxy/<port>/ route: the remote case).
  cd "$dest/package"
  log "code-server front: npm install --omit=dev --ignore-scripts"
  npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
  npm_config_yes=true npm rebuild argon2 --loglevel=error
}

check_node_headers() {
  local nodedir
  nodedir="$(npm config get nodedir)"
  if [ -z "$nodedir" ] || [ "$nodedir" = undefined ] || [ ! -f "$nodedir/include/node/node_api.h" ]; then
    log "npm's nodedir is '$nodedir' and holds no include/node/node_api.h: node-gyp would try to" \
      "download Node's headers. Set it, e.g. npm config set nodedir /usr"
    exit 1
  fi
}

main() {
  if [ -f "$marker" ] && [ -x /usr/bin/chromium ]; then
    echo "$dest/package" >&3
    return 0
  fi
  local start=$SECONDS
  install_apt_packages
  mkdir -p "$cache"
  # One installer at a time per version (parallel CI jobs share the cache).
  exec 9>"$dest.lock"
  flock 9
  if [ ! -f "$marker" ]; then
    check_node_headers
    rm -rf "$dest" # a half-done earlier attempt
    mkdir -p "$dest"
    install_code_server
    touch "$marker"
  fi
  log "ready in $((SECONDS - start)) s: $dest/package"
  echo "$dest/package" >&3
}

main "$@"
