#!/usr/bin/env bash
# Builds the Debian package of Préau for this machine's architecture:
#   bash packaging/build-deb.sh        → target/debian/preau_<version>_<arch>.deb
# Needs cargo-deb (cargo install cargo-deb --locked).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deb >/dev/null 2>&1 || cargo install cargo-deb --locked
cargo deb --locked
ls -l target/debian/*.deb
