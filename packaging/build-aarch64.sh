#!/usr/bin/env bash
# Static aarch64 build for a Raspberry Pi (3, 4, 5, Zero 2 — any 64-bit OS, no libc needed):
#   bash packaging/build-aarch64.sh        → target/aarch64-unknown-linux-musl/release/preau
# Needs (Debian/Ubuntu): `apt-get install gcc-aarch64-linux-gnu` (the C compiler for aws-lc,
# also used as the linker driver: rustc links its own musl crt and libc.a, so the result is
# static whatever the cross compiler's libc), and `rustup target add aarch64-unknown-linux-musl`.
# Check it with tests/pi/qemu-check.sh (runs it under qemu-aarch64-static).
set -euo pipefail
cd "$(dirname "$0")/.."

TRIPLE=aarch64-unknown-linux-musl
CROSS=${CROSS:-aarch64-linux-gnu}
command -v "$CROSS-gcc" >/dev/null || {
    echo "$CROSS-gcc introuvable : apt-get install gcc-aarch64-linux-gnu" >&2
    exit 2
}
rustup target list --installed 2>/dev/null | grep -qx "$TRIPLE" || rustup target add "$TRIPLE"

export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER="$CROSS-gcc"
export CC_aarch64_unknown_linux_musl="$CROSS-gcc"
export AR_aarch64_unknown_linux_musl="$CROSS-ar"
# musl targets link statically by default; said again so that a RUSTFLAGS from the
# environment cannot turn it into a dynamic binary by accident.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=+crt-static"

start=$(date +%s)
cargo build --release --locked --target "$TRIPLE" --bin preau
BIN="${CARGO_TARGET_DIR:-target}/$TRIPLE/release/preau"
file "$BIN"
if file "$BIN" | grep -q "dynamically linked"; then
    echo "$BIN n'est pas statique" >&2
    exit 1
fi
ls -l "$BIN"
echo "aarch64 build: $(( $(date +%s) - start )) s"
