# Shared by Scripts/run, Scripts/test and the benchmarks: say what is done, install what is missing, build.
# Sourced, not run. Every step prints one line, so a newcomer (and CI's log) can see where time goes.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages the build needs (C libraries and fonts), and those only the tests need.
BUILD_PACKAGES=(pkg-config libsqlite3-dev sqlite3 libmicrohttpd-dev libsodium-dev libcairo2-dev libpango1.0-dev
                libqrencode-dev libcurl4-openssl-dev fonts-dejavu-core fonts-dejavu-extra python3)
TEST_PACKAGES=(poppler-utils chromium chromium-driver python3-pip curl openssl zbar-tools cups-client systemd)

# Installs the Debian packages that are not installed yet; runs apt-get update only when something is missing.
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        step "Debian packages: all present ($*)"
        return
    fi
    step "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Installs the Python packages the browser tests use, if missing.
ensure_python_packages() {
    local missing=()
    for p in "$@"; do python3 -c "import $p" 2>/dev/null || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
        step "Python packages: all present ($*)"
        return
    fi
    step "Installing Python packages: ${missing[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${missing[@]}"
}

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || { echo "Swift 6 is required (https://www.swift.org/install/linux/)" >&2; exit 1; }
}

# Builds the guichet executable in the given configuration (debug or release) and prints its path.
build_guichet() {
    local configuration="$1"
    step "Building guichet ($configuration)"
    swift build -c "$configuration" --product guichet >&2
    echo "$ROOT/.build/$configuration/guichet"
}
