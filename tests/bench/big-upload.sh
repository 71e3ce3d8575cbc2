#!/usr/bin/env bash
# Big-upload benchmark: a 200 MB file sent to the médiathèque of the demo school, on
# loopback only. Prints the server's RSS before, its peak during the upload (VmHWM) and
# the growth, the upload time and rate, and checks the stored file's size.
#   bash tests/bench/big-upload.sh          # SIZE_MB=200 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-200}
PASSWORD=Demo-Preau-2026

cargo build --release --locked >/dev/null 2>&1 || cargo build --release --locked
BIN=target/release/preau
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" --data-dir "$WORK/data" demo --no-serve --no-mdns >/dev/null 2>&1
PREAU_LOG=warn "$BIN" --data-dir "$WORK/data" serve --no-mdns --no-tls --listen 127.0.0.1 --http-port "$PORT" >/dev/null 2>&1 &
SERVER_PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.01; done

JAR="$WORK/jar"
token=$(curl -s -c "$JAR" "http://127.0.0.1:$PORT/connexion" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "login=direction" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "_csrf=$token" --data-urlencode "suite=/accueil" "http://127.0.0.1:$PORT/connexion"
token=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/mediatheque/espace/perso" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)

# A PDF header followed by spaces: a file of the allowed type, of the size wanted.
FILE="$WORK/gros.pdf"
{ printf '%%PDF-1.4\n'; head -c $((SIZE_MB * 1024 * 1024 - 9)) /dev/zero | tr '\0' ' '; } > "$FILE"

sleep 1
rss() { awk "/^$1/ {print \$2}" "/proc/$SERVER_PID/status"; }
before=$(rss VmRSS)
hwm_before=$(rss VmHWM)
t0=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -F "files=@$FILE;type=application/pdf" \
    "http://127.0.0.1:$PORT/mediatheque/espace/perso/envoyer?_csrf=$token")
t1=$(date +%s%N)
peak=$(rss VmHWM)
ms=$(( (t1 - t0) / 1000000 ))
echo "upload: ${SIZE_MB} MB, HTTP $code, ${ms} ms ($(awk -v s="$SIZE_MB" -v m="$ms" 'BEGIN {printf "%.0f", s * 1000 / m}') MB/s)"
echo "RSS before: $((before / 1024)) MiB; peak before: $((hwm_before / 1024)) MiB; peak during upload: $((peak / 1024)) MiB"
echo "growth of the peak: $(( (peak - hwm_before) / 1024 )) MiB for a ${SIZE_MB} MB file ($(awk -v g="$(( peak - hwm_before ))" -v s="$SIZE_MB" 'BEGIN {printf "%.3f", g / 1024 / s}') MiB per MB)"
stored=$(find "$WORK/data/blobs" -type f -size +$((SIZE_MB - 1))M -printf '%s\n' | head -1)
echo "stored blob: ${stored:-absent} bytes"
[ "$code" = 303 ] && [ "${stored:-0}" = "$(stat -c %s "$FILE")" ]
