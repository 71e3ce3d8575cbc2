#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing (Chromium and
# its WebDriver for the browser tests, iproute2 for the mDNS test, pebble for the ACME
# test), then runs every test.
# Arguments go to `cargo test --locked`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if [[ "${PREAU_SKIP_BROWSER:-}" != 1 ]]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    # tests/it/browser.rs also finds the driver where Debian puts it.
    command -v chromedriver >/dev/null 2>&1 || [[ -x /usr/lib/chromium/chromedriver ]] \
        || missing+=(chromium-driver)
    # The print test reads the PDFs Chromium prints (tests/it/browser/print.rs).
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fi
# The mDNS test makes two network namespaces (ip netns) joined by a veth pair.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
# The ACME test (tests/it/acme.rs) runs Debian's pebble and pebble-challtestsrv on loopback.
command -v pebble >/dev/null 2>&1 || missing+=(pebble)
# The guides' screenshots (PREAU_DOC_SCREENSHOTS=1, tests/it/browser/mod.rs) are embedded
# in the binary: in 256 colours they weigh a third of Chromium's PNGs and look the same.
[[ "${PREAU_DOC_SCREENSHOTS:-}" == 1 ]] && { command -v pngquant >/dev/null 2>&1 || missing+=(pngquant); }

if ((${#missing[@]})); then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        skip=""
        [[ " ${missing[*]} " == *" chromium"* ]] \
            && skip=", or set PREAU_SKIP_BROWSER=1 to skip the browser tests knowingly"
        echo "The tests need ${missing[*]}: install them (sudo apt-get install ${missing[*]})${skip}." >&2
        exit 1
    fi
fi

# axe-core (the accessibility checker the browser tests run in the page) comes from npm,
# once, into target/; PREAU_AXE_JS tells the tests where it is.
if [[ "${PREAU_SKIP_BROWSER:-}" != 1 && -z "${PREAU_AXE_JS:-}" ]]; then
    axe=target/axe/node_modules/axe-core/axe.min.js
    if [[ ! -f "$axe" ]]; then
        if ! command -v npm >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
            echo "== installing npm (for axe-core)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
        fi
        if command -v npm >/dev/null 2>&1; then
            mkdir -p target/axe
            npm install --silent --no-audit --no-fund --prefix target/axe axe-core@4 >/dev/null
        fi
    fi
    if [[ -f "$axe" ]]; then
        export PREAU_AXE_JS="$PWD/$axe"
    else
        echo "axe-core could not be installed (npm): the accessibility checks will fail." >&2
        export PREAU_AXE_JS="$PWD/$axe"
    fi
fi

if [[ "${PREAU_DOC_SCREENSHOTS:-}" == 1 ]]; then
    cargo test --locked "$@"
    pngquant --quality 80-95 --speed 1 --strip --force --ext .png docs/img/*.png
    exit
fi
exec cargo test --locked "$@"
