#!/usr/bin/env bash
# Functional check of the aarch64 (Raspberry Pi) build under qemu-user: creates the demo
# school with the aarch64 binary, serves it on loopback, logs in as a parent and a teacher
# and fetches the main pages, each expected to answer 200 with a French word we know; then
# serves it again over HTTPS as a Pi does by default (its own certificate authority) and
# fetches a parent's home page through a verified TLS connection.
# The times and memory printed are those of the emulation, not of a Pi: nothing is checked
# against them, they only show the order of things (the RSS includes qemu itself).
#   bash packaging/build-aarch64.sh && bash tests/pi/qemu-check.sh
# Settings: BIN (default target/aarch64-unknown-linux-musl/release/preau), QEMU (default
# qemu-aarch64-static; QEMU= runs BIN natively, to try the script on an x86_64 build).
# Needs: qemu-user-static (apt-get install qemu-user-static), curl, python3 (free port).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-${CARGO_TARGET_DIR:-target}/aarch64-unknown-linux-musl/release/preau}
QEMU=${QEMU-$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)}
PASSWORD=Demo-Preau-2026
[ -x "$BIN" ] || { echo "$BIN absent : bash packaging/build-aarch64.sh" >&2; exit 2; }
if [ -z "$QEMU" ] && file "$BIN" | grep -q aarch64 && [ "$(uname -m)" != aarch64 ]; then
    echo "qemu-aarch64-static introuvable : apt-get install qemu-user-static" >&2
    exit 2
fi
RUN=("$BIN")
[ -z "$QEMU" ] || RUN=("$QEMU" "$BIN")

file "$BIN"
"${RUN[@]}" --version

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
URL="http://127.0.0.1:$PORT"

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

t0=$(date +%s%N)
DEMO=$(PREAU_LOG=warn timeout 900 "${RUN[@]}" --data-dir "$WORK/data" demo --no-serve --scale 1)
echo "$DEMO" | head -1
echo "demo school (${QEMU:+qemu-user, }scale 1): $(ms_since "$t0") ms"
demo_login() { echo "$DEMO" | awk -v role="$1" '{ l = $0; sub(/^ +/, "", l); if (index(l, role " ") == 1) { print $NF; exit } }'; }
PARENT=$(demo_login "Responsable légal")
TEACHER=$(demo_login "Enseignant")
[ -n "$PARENT" ] && [ -n "$TEACHER" ] || { echo "la démo n'a pas donné d'identifiants" >&2; exit 1; }

# start_server ENV=VALUE… -- SERVE_ARGS…: serves the demo school, waits for /healthz at $URL.
start_server() {
    local env=() t0
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    t0=$(date +%s%N)
    env PREAU_LOG=warn "${env[@]}" "${RUN[@]}" --data-dir "$WORK/data" serve --no-mdns --listen 127.0.0.1 "$@" \
        >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        curl -sf -m 5 "${TLS[@]}" -o /dev/null "$URL/healthz" && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
        sleep 0.05
    done
    echo "start → /healthz${QEMU:+ under qemu-user}${TLS:+ (HTTPS)}: $(ms_since "$t0") ms"
}
stop_server() {
    kill "$SERVER_PID" && wait "$SERVER_PID" || true
    SERVER_PID=""
}
TLS=()
start_server -- --no-tls --http-port "$PORT"
FAILED=0
# fetch WHO PATH WORD: 200 and WORD in the body, else a failure (the check goes on).
fetch() {
    local jar="$WORK/jar-$1" code
    code=$(curl -s -m 60 "${TLS[@]}" -b "$jar" -o "$WORK/body" -w '%{http_code}' "$URL$2") || code="000"
    if [ "$code" = 200 ] && grep -q -- "$3" "$WORK/body"; then
        printf 'ok    %-8s %-24s %s « %s »\n' "$1" "$2" "$code" "$3"
    else
        printf 'ÉCHEC %-8s %-24s %s (attendu : 200 et « %s »)\n' "$1" "$2" "$code" "$3"
        FAILED=$((FAILED + 1))
    fi
}
login() { # who login
    local jar="$WORK/jar-$1" token
    token=$(curl -s -m 60 "${TLS[@]}" -c "$jar" "$URL/connexion" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -m 120 "${TLS[@]}" -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$2" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "_csrf=$token" --data-urlencode "suite=/accueil" "$URL/connexion"
    grep -q preau_session "$jar" || { echo "ÉCHEC connexion de $2" >&2; FAILED=$((FAILED + 1)); }
}

fetch anonyme /healthz '"status":"ok"'
fetch anonyme /connexion "Connexion"
login parent "$PARENT"
login teacher "$TEACHER"
for who in parent teacher; do
    fetch "$who" /accueil "Bonjour"
    fetch "$who" /messagerie "Boîte de réception"
    fetch "$who" /carnet "Carnet de liaison"
    fetch "$who" /cahier-de-textes "Cahier de textes"
done
CLASS=$(curl -s -m 60 -b "$WORK/jar-teacher" "$URL/accueil" | sed -n 's|.*href="/classes/\([0-9]*\)".*|\1|p' | head -1)
fetch teacher "/classes/${CLASS:-?}" "Élèves"

# Figures of the emulation (see the header): the warm home page, best of 5 (the first
# requests also pay qemu's translation of the code they run), and the server's memory.
accueil_ms() { # who → best time of /accueil over 5 requests on one connection, in ms
    local args=() _
    for _ in 1 2 3 4 5; do args+=(-o /dev/null -w '%{time_total}\n' "$URL/accueil"); done
    curl -s -m 60 "${TLS[@]}" -b "$WORK/jar-$1" "${args[@]}" | sort -n | head -1 | awk '{ printf "%.1f", $1 * 1000 }'
}
echo "GET /accueil (parent, warm${QEMU:+, qemu-user}): $(accueil_ms parent) ms"
echo "server memory${QEMU:+ (the qemu process: emulator and translated code included)}:" \
    "$(awk '/^VmRSS|^VmHWM/ { printf "%s %d MiB  ", $1, $2 / 1024 }' "/proc/$SERVER_PID/status")"
stop_server

# HTTPS, as a Pi serves it by default: the server makes its certificate authority and
# certificate (aws-lc on aarch64) and curl checks the chain. The Pi 4's BCM2711 has no
# ARMv8 crypto extensions while qemu's default CPU has them: OPENSSL_armcap=0x1 (NEON
# only) makes aws-lc take the code paths a Pi 4 takes.
HTTPS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
URL="https://ecole.local:$HTTPS_PORT"
TLS=(--cacert "$WORK/data/tls/ca.pem" --resolve "ecole.local:$HTTPS_PORT:127.0.0.1")
start_server OPENSSL_armcap=0x1 -- --http-port "$PORT" --https-port "$HTTPS_PORT"
fetch anonyme /healthz '"status":"ok"'
rm -f "$WORK/jar-parent"
login parent "$PARENT"
fetch parent /accueil "Bonjour"
redirect=$(curl -s -m 60 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$PORT/accueil")
if [[ "$redirect" == 30[78]" https://"* ]]; then
    echo "ok    http     /accueil                 $redirect"
else
    echo "ÉCHEC http     /accueil                 $redirect (attendu : redirection vers https://)"
    FAILED=$((FAILED + 1))
fi
echo "GET /accueil over HTTPS (parent, warm${QEMU:+, qemu-user}): $(accueil_ms parent) ms"

if [ "$FAILED" -gt 0 ]; then
    echo "$FAILED vérification(s) en échec" >&2
    tail -20 "$WORK/server.log" >&2
    exit 1
fi
echo "aarch64 build under qemu-user: every page answered"
