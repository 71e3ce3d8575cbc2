#!/usr/bin/env bash
# School-morning benchmark: starts the release binary on the demo school, then, on
# loopback only, loads the pages of a school morning with wrk and prints req/s, p50, p99
# per page with each page's throughput as a ratio of /healthz measured in the same run;
# RSS idle and peak, time from start to /healthz, binary size; then the same home page at
# --scale 10 for the scaling ratio.
#   bash tests/bench/school-morning.sh            # needs wrk (apt-get install wrk)
# Settings: DURATION (s, default 10), CONNECTIONS (default 100), THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-2}
PASSWORD=Demo-Preau-2026

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk est nécessaire : apt-get install -y wrk" >&2
    exit 1
fi

echo "== build (release)"
cargo build --release --locked >/dev/null 2>&1 || cargo build --release --locked
BIN=target/release/preau
printf 'binary: %s bytes (stripped)\n' "$(stat -c %s "$BIN")"
printf 'machine: %s cores, %s\n' "$(nproc)" "$(uname -m)"

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

start_server() { # data_dir port
    local t0 t1
    t0=$(date +%s%N)
    PREAU_LOG=warn "$BIN" --data-dir "$1" serve --no-mdns --no-tls --listen 127.0.0.1 --http-port "$2" >/dev/null 2>&1 &
    SERVER_PID=$!
    until curl -sf "http://127.0.0.1:$2/healthz" >/dev/null; do sleep 0.002; done
    t1=$(date +%s%N)
    echo "start → /healthz 200: $(( (t1 - t0) / 1000000 )) ms"
}

# Logs in and prints the session cookie.
login() { # port login
    local jar="$WORK/jar-$2" token
    token=$(curl -s -c "$jar" "http://127.0.0.1:$1/connexion" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$2" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "_csrf=$token" --data-urlencode "suite=/accueil" "http://127.0.0.1:$1/connexion"
    awk '$6 == "preau_session" {print "preau_session=" $7}' "$jar"
}

declare -A RPS P50 P99
run_wrk() { # name url cookie
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency ${3:+-H "Cookie: $3"} "$2")
    if echo "$out" | grep -q "Non-2xx"; then
        echo "!! $1 : réponses non 2xx" >&2
        echo "$out" | grep "Non-2xx" >&2
    fi
    RPS[$1]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    P50[$1]=$(echo "$out" | awk '$1 == "50%" {print $2}')
    P99[$1]=$(echo "$out" | awk '$1 == "99%" {print $2}')
}

first_id() { # port cookie path prefix
    curl -s -H "Cookie: $2" "http://127.0.0.1:$1$3" | sed -n "s|.*href=\"$4\([0-9]*\)\".*|\1|p" | head -1
}

bench_school() { # scale
    local dir="$WORK/demo-$1" port
    port=$(free_port)
    local demo_out
    demo_out=$("$BIN" --data-dir "$dir" demo --no-serve --no-mdns --scale "$1" 2>/dev/null)
    echo "$demo_out" | head -1
    # wrk opens all its connections from 127.0.0.1: lift the per-address cap (256), which
    # is there for one device or one script, not for a benchmark.
    echo "max_connections_per_address = 4096" >>"$dir/preau.toml"
    start_server "$dir" "$port"
    sleep 2
    echo "RSS idle: $(( $(rss_kib $SERVER_PID) / 1024 )) MiB"
    local parent pupil teacher director
    parent=$(login "$port" "$(demo_login "$demo_out" "Responsable légal")")
    pupil=$(login "$port" "$(demo_login "$demo_out" "Élève")")
    teacher=$(login "$port" nadia.belkacem)
    director=$(login "$port" direction)
    local class child
    class=$(first_id "$port" "$teacher" /accueil /classes/)
    child=$(first_id "$port" "$parent" /accueil /eleves/)
    run_wrk healthz "http://127.0.0.1:$port/healthz"
    run_wrk "accueil (parent)" "http://127.0.0.1:$port/accueil" "$parent"
    run_wrk "accueil (élève)" "http://127.0.0.1:$port/accueil" "$pupil"
    run_wrk "élève (parent)" "http://127.0.0.1:$port/eleves/$child" "$parent"
    run_wrk "mes données (parent)" "http://127.0.0.1:$port/compte/mes-donnees" "$parent"
    run_wrk "classe (enseignant)" "http://127.0.0.1:$port/classes/$class" "$teacher"
    run_wrk "connexion (page)" "http://127.0.0.1:$port/connexion"
    run_wrk "comptes (direction, 400 lignes)" "http://127.0.0.1:$port/admin/comptes" "$director"
    echo "RSS peak: $(( $(hwm_kib $SERVER_PID) / 1024 )) MiB"
    printf '%-34s %10s %9s %9s %8s\n' page req/s p50 p99 ratio
    for page in healthz "accueil (parent)" "accueil (élève)" "élève (parent)" "mes données (parent)" "classe (enseignant)" "connexion (page)" "comptes (direction, 400 lignes)"; do
        printf '%-34s %10s %9s %9s %8s\n' "$page" "${RPS[$page]}" "${P50[$page]}" "${P99[$page]}" \
            "$(awk -v a="${RPS[$page]}" -v b="${RPS[healthz]}" 'BEGIN {printf "%.2f", a / b}')"
    done
    HOME_P50[$1]=${P50["accueil (parent)"]}
    HOME_P99[$1]=${P99["accueil (parent)"]}
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

demo_login() { # demo output, role: the login the demo printed for that role
    echo "$1" | awk -v role="$2" '{ line = $0; sub(/^ +/, "", line); if (index(line, role " ") == 1) { print $NF; exit } }'
}

declare -A HOME_P50 HOME_P99
echo "== scale 1"
bench_school 1
echo "== scale 10"
bench_school 10
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else { sub(/s$/, "", v); print v * 1000 } }'; }
echo "== scaling: home page (parent) latency, scale 10 / scale 1"
awk -v a="$(to_ms "${HOME_P50[10]}")" -v b="$(to_ms "${HOME_P50[1]}")" 'BEGIN {printf "p50 ratio: %.2f\n", a / b}'
awk -v a="$(to_ms "${HOME_P99[10]}")" -v b="$(to_ms "${HOME_P99[1]}")" 'BEGIN {printf "p99 ratio: %.2f\n", a / b}'
