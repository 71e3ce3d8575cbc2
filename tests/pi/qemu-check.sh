#!/usr/bin/env bash
# Functional check of the aarch64 (Raspberry Pi) build under qemu-user: creates the demo
# school with the aarch64 binary, serves it on loopback, logs in as a parent and a teacher
# and fetches the main pages, each expected to answer 200 with a French word we know.
# Emulation is 5 to 20 times slower than a Pi: nothing here is timed, only bounded.
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

t0=$(date +%s)
DEMO=$(PREAU_LOG=warn timeout 900 "${RUN[@]}" --data-dir "$WORK/data" demo --no-serve --scale 1)
echo "$DEMO" | head -1
echo "demo school (${QEMU:+qemu-user, }scale 1): $(( $(date +%s) - t0 )) s"
demo_login() { echo "$DEMO" | awk -v role="$1" '{ l = $0; sub(/^ +/, "", l); if (index(l, role " ") == 1) { print $NF; exit } }'; }
PARENT=$(demo_login "Responsable légal")
TEACHER=$(demo_login "Enseignant")
[ -n "$PARENT" ] && [ -n "$TEACHER" ] || { echo "la démo n'a pas donné d'identifiants" >&2; exit 1; }

t0=$(date +%s)
PREAU_LOG=warn "${RUN[@]}" --data-dir "$WORK/data" serve --no-mdns --no-tls --listen 127.0.0.1 --http-port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -sf -m 5 -o /dev/null "$URL/healthz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.2
done
echo "start → /healthz${QEMU:+ under qemu-user}: $(( $(date +%s) - t0 )) s"

FAILED=0
# fetch WHO PATH WORD: 200 and WORD in the body, else a failure (the check goes on).
fetch() {
    local jar="$WORK/jar-$1" code
    code=$(curl -s -m 60 -b "$jar" -o "$WORK/body" -w '%{http_code}' "$URL$2") || code="000"
    if [ "$code" = 200 ] && grep -q -- "$3" "$WORK/body"; then
        printf 'ok    %-8s %-24s %s « %s »\n' "$1" "$2" "$code" "$3"
    else
        printf 'ÉCHEC %-8s %-24s %s (attendu : 200 et « %s »)\n' "$1" "$2" "$code" "$3"
        FAILED=$((FAILED + 1))
    fi
}
login() { # who login
    local jar="$WORK/jar-$1" token
    token=$(curl -s -m 60 -c "$jar" "$URL/connexion" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -m 120 -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$2" --data-urlencode "password=$PASSWORD" \
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

if [ "$FAILED" -gt 0 ]; then
    echo "$FAILED vérification(s) en échec" >&2
    tail -20 "$WORK/server.log" >&2
    exit 1
fi
echo "aarch64 build under qemu-user: every page answered"
