#!/usr/bin/env bash
# Static builds (glibc with crt-static) for x86_64 and aarch64 (Raspberry Pi OS 64 bits),
# and a start check of the aarch64 binary under qemu-user:
#   bash packaging/cross-build.sh            → target/<triple>/release/preau
#   bash packaging/cross-build.sh x86_64     → x86_64 only (no cross toolchain needed)
# Needs (Debian), for aarch64: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static,
# and `rustup target add aarch64-unknown-linux-gnu`. ring/aws-lc need the target's C compiler.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
    "") TRIPLES="x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu" ;;
    x86_64) TRIPLES="x86_64-unknown-linux-gnu" ;;
    *) echo "usage : $0 [x86_64]" >&2; exit 64 ;;
esac

export RUSTFLAGS="-C target-feature=+crt-static"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar

for triple in $TRIPLES; do
    echo "== $triple"
    cargo build --release --locked --target "$triple"
    file "target/$triple/release/preau"
done

if [[ "$TRIPLES" != *aarch64* ]]; then
    exit 0
fi

echo "== aarch64 start check under qemu-user"
BIN=target/aarch64-unknown-linux-gnu/release/preau
QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
"$QEMU" "$BIN" --version
DATA=$(mktemp -d)
PORT=18700
"$QEMU" "$BIN" --data-dir "$DATA" serve --no-mdns --no-tls --listen 127.0.0.1 --http-port "$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$PORT/healthz"; then
        echo
        echo "aarch64 binary answers /healthz under qemu-user"
        exit 0
    fi
    sleep 0.2
done
echo "the aarch64 binary did not answer /healthz" >&2
exit 1
