# shellcheck shell=bash
# Shared, idempotent tool installation for .ci/run, scripts/test and scripts/demo.
#
# Source it from the repository root (`source scripts/lib/install.sh`), then call the
# `ensure_*` functions you need. Every function checks first and only installs what is
# missing, so a warm machine pays a few version checks. Running the file directly
# (`bash scripts/lib/install.sh`) installs everything.
#
# Versions and the reasons for them: see "Toolchain notes" in README.md.

TRUNK_VERSION="0.21.14"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock; wasm-bindgen-cli must match it exactly.
wasm_bindgen_lock_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Run as root directly, otherwise through sudo when available.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $*"
  fi
}

ensure_wasm_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then return; fi
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
  log "apt-get install chromium chromium-driver (~1 min)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
}

ensure_wasm_bindgen() {
  local want have
  want="$(wasm_bindgen_lock_version)"
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
  if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null; then return; fi
  # Not --locked: the published lockfile pins a webpki-roots version the registry lacks.
  log "cargo install wasm-bindgen-cli --version $want (~4 min, have: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
}

ensure_trunk() {
  if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then return; fi
  # trunk 0.22 needs rustc >= 1.96.1.
  log "cargo install trunk --version $TRUNK_VERSION --locked (~10 min)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

# npm packages of tools/ (binaryen's wasm-opt, playwright-core, @clerk/clerk-js).
ensure_node_tools() {
  command -v npm >/dev/null || die "npm not found (Node.js 20+ is required)"
  local stamp=tools/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ ! tools/package-lock.json -nt "$stamp" ] \
     && [ -x tools/node_modules/.bin/wasm-opt ]; then return; fi
  log "npm ci --prefix tools"
  npm ci --prefix tools --no-audit --no-fund --loglevel=error
}

# PATH and target-dir setup shared by all scripts (no installs).
setup_env() {
  export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
  export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
  export TRUNK_SKIP_VERSION_CHECK=true
  export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
}

# Cargo's target directory (honours CARGO_TARGET_DIR and .cargo/config.toml).
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])'
}

# Background installs (used by .ci/run on a cold machine): wasm-bindgen-cli, then trunk, in one
# background job (its own process group), while the host-side stages build. `wait_background_install
# NAME` blocks until NAME is installed (dies if its install failed); `stop_background_installs`
# kills whatever still runs (call it on exit).
BG_INSTALL_DIR=""
BG_INSTALL_PGID=""
start_background_installs() {
  local want need_wb=0 need_trunk=0
  want="$(wasm_bindgen_lock_version)"
  [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$want" ] \
    && command -v wasm-bindgen-test-runner >/dev/null || need_wb=1
  trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$" || need_trunk=1
  [ "$need_wb" = 1 ] || [ "$need_trunk" = 1 ] || return 0
  BG_INSTALL_DIR="$(mktemp -d)"
  log "installing in the background (logs in $BG_INSTALL_DIR):" \
    "$([ $need_wb = 1 ] && echo "wasm-bindgen-cli $want") $([ $need_trunk = 1 ] && echo "trunk $TRUNK_VERSION")"
  setsid bash -c '
    dir=$1 need_wb=$2 want=$3 need_trunk=$4 trunk_version=$5
    step() { # name command...
      local name=$1; shift
      "$@" >"$dir/$name.log" 2>&1
      echo $? >"$dir/$name.rc.tmp" && mv "$dir/$name.rc.tmp" "$dir/$name.rc"
    }
    if [ "$need_wb" = 1 ]; then step wasm-bindgen cargo install wasm-bindgen-cli --version "$want"
    else echo 0 >"$dir/wasm-bindgen.rc"; fi
    if [ "$need_trunk" = 1 ]; then step trunk cargo install trunk --version "$trunk_version" --locked
    else echo 0 >"$dir/trunk.rc"; fi
  ' bg-install "$BG_INSTALL_DIR" "$need_wb" "$want" "$need_trunk" "$TRUNK_VERSION" </dev/null &
  BG_INSTALL_PGID=$!
}

wait_background_install() { # wasm-bindgen | trunk
  [ -n "$BG_INSTALL_DIR" ] || return 0
  local rc_file="$BG_INSTALL_DIR/$1.rc" t0=$SECONDS
  [ -e "$rc_file" ] || log "waiting for the background install of $1"
  while [ ! -e "$rc_file" ]; do
    kill -0 "$BG_INSTALL_PGID" 2>/dev/null || [ -e "$rc_file" ] || die "background install of $1 vanished"
    sleep 2
  done
  if [ "$(cat "$rc_file")" != 0 ]; then
    tail -40 "$BG_INSTALL_DIR/$1.log" >&2 || true
    die "background install of $1 failed"
  fi
  [ $((SECONDS - t0)) -gt 1 ] && log "$1 installed (waited $((SECONDS - t0)) s)"
  return 0
}

stop_background_installs() {
  [ -n "$BG_INSTALL_PGID" ] || return 0
  if kill -0 "$BG_INSTALL_PGID" 2>/dev/null; then
    log "stopping the background installs"
    kill -TERM -- "-$BG_INSTALL_PGID" 2>/dev/null || true
  fi
  wait "$BG_INSTALL_PGID" 2>/dev/null || true
  BG_INSTALL_PGID=""
}

ensure_all() {
  ensure_wasm_target
  ensure_chromium
  ensure_node_tools
  ensure_wasm_bindgen
  ensure_trunk
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  ensure_all
  setup_env
  log "tools ready: $(wasm-bindgen --version), $(trunk --version), $(wasm-opt --version | head -1)"
fi
