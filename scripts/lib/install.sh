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
