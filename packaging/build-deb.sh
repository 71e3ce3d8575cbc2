#!/usr/bin/env bash
# Builds the Debian package of Préau:
#   bash packaging/build-deb.sh            → target/debian/preau_<version>_amd64.deb
#   bash packaging/build-deb.sh arm64      → target/aarch64-unknown-linux-gnu/debian/preau_<version>_arm64.deb
# Needs cargo-deb (installed if missing); arm64 needs what packaging/cross-build.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deb >/dev/null 2>&1 || cargo install cargo-deb --locked
case "${1:-amd64}" in
    amd64)
        cargo deb --locked
        ;;
    arm64)
        export RUSTFLAGS="-C target-feature=+crt-static"
        export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
        export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
        export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
        cargo deb --locked --target aarch64-unknown-linux-gnu
        ;;
    *) echo "architecture inconnue : $1 (amd64 ou arm64)" >&2; exit 2 ;;
esac
find target -name 'preau_*.deb' -newer Cargo.toml -exec ls -l {} \;
