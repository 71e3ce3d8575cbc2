# Helpers of school-morning.sh (sourced): server, sign-in, addresses found in the pages,
# the write mix, the table. Loopback only. Expects WORK, BIN, PORT, PASSWORD.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# wrk's latencies (« 812.00us », « 1.20ms », « 1.02s ») in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
        else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

# start_server DIR PORT: starts it (SERVER_PID), START_MS the ms until /healthz answers.
start_server() {
    local t0 t1
    t0=$(date +%s%N)
    if [ "$INSTRUCTIONS" != 0 ]; then
        # Only what tokio's tasks run is counted (the requests), not sled's own threads,
        # whose page cleaning goes on in the background at its own pace.
        PREAU_LOG=warn valgrind --tool=callgrind --instr-atstart=no \
            --toggle-collect='tokio::runtime::task::raw::poll' \
            --callgrind-out-file="$WORK/callgrind.%p" \
            "$BIN" --data-dir "$1" serve --no-mdns --no-tls --listen 127.0.0.1 --http-port "$2" >/dev/null 2>&1 &
    else
        PREAU_LOG=warn "$BIN" --data-dir "$1" serve --no-mdns --no-tls --listen 127.0.0.1 --http-port "$2" >/dev/null 2>&1 &
    fi
    SERVER_PID=$!
    until curl -sf "http://127.0.0.1:$2/healthz" >/dev/null; do sleep 0.002; done
    t1=$(date +%s%N)
    START_MS=$(( (t1 - t0) / 1000000 ))
    if [ "$INSTRUCTIONS" != 0 ]; then
        # The start's own work (a password hashed to time bcrypt, the first jobs) ends
        # before counting begins.
        sleep 20
        callgrind_control -i on "$SERVER_PID" >/dev/null 2>&1
    fi
}

# count_instructions SCALE NAME PATH COOKIE: the instructions per request of PATH, over
# REQUESTS sequential requests after one unmeasured (stored as RPS; no latencies).
count_instructions() {
    local scale=$1 name=$2 path=$3 cookie=$4 i dump total
    curl -s -o /dev/null ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$PORT$path"
    callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
    for ((i = 0; i < REQUESTS; i++)); do
        curl -s -o /dev/null ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$PORT$path"
    done
    callgrind_control -d "$SERVER_PID" >/dev/null 2>&1
    dump=$(ls -t "$WORK"/callgrind."$SERVER_PID".* | head -1)
    total=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
    RPS[$scale,$name]=$(( total / REQUESTS ))
    P50[$scale,$name]=-
    P99[$scale,$name]=-
    STATUS[$scale,$name]=ok
    printf '   %-24s %9s instructions a request  (%s)\n' "$name" "${RPS[$scale,$name]}" "$path"
}

# login LOGIN TAG: signs in (a session of its own per TAG), prints the session cookie.
login() {
    local jar="$WORK/jar-$1-$2" token
    token=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/connexion" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$1" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "_csrf=$token" --data-urlencode "suite=/accueil" "http://127.0.0.1:$PORT/connexion"
    awk '$6 == "preau_session" {print "preau_session=" $7}' "$jar"
}

# get COOKIE PATH: the page's HTML.
get() { curl -s -H "Cookie: $1" "http://127.0.0.1:$PORT$2"; }

# first_link COOKIE PATH REGEX: the first href of PATH matching REGEX (whole value).
first_link() {
    { get "$1" "$2" | grep -oE "href=\"$3\"" || true; } | head -1 | sed 's/^href="//; s/"$//'
}

# csrf COOKIE: the session's form token, from a page's sign-out form.
csrf() { get "$1" /accueil | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }

demo_login() { # demo output, role: the login the demo printed for that role
    echo "$1" | awk -v role="$2" '{ line = $0; sub(/^ +/, "", line); if (index(line, role " ") == 1) { print $NF; exit } }'
}

# write KIND SCALE CURL-ARGS…: one write, followed to its page as a browser does; done when
# it was redirected to a page without an error notice, refused otherwise (the form shown
# again with the reason beside the field, a refusal notice, a 4xx/5xx).
write() {
    local kind=$1 scale=$2 res why
    shift 2
    res=$(curl -s -L -o "$WORK/w-$kind.html" -w '%{http_code} %{num_redirects}' "$@" || echo "000 0")
    if [[ "$res" == 2??\ [1-9]* ]] && ! grep -q 'flash error' "$WORK/w-$kind.html"; then
        echo done >>"$WORK/w-$scale-$kind"
    else
        why=$({ grep -oE 'class="(error|flash error)"[^>]*>[^<]*' "$WORK/w-$kind.html" || true; } | head -1 | sed 's/.*>//')
        echo "refused HTTP ${res% *}${why:+ : $why}" >>"$WORK/w-$scale-$kind"
    fi
}

# writer KIND SCALE CURL-ARGS…: the same write again and again until $WORK/stop exists.
writer() {
    local pause=$WRITE_PAUSE
    # A person may create 30 things a minute (auth::rate): the messages keep under it, so
    # that a refused message means something.
    [ "$1" = message ] && pause=$MESSAGE_PAUSE
    while [ ! -e "$WORK/stop" ]; do
        write "$@"
        sleep "$pause"
    done
}

# start_writers PARENT_LOGIN PUPIL_LOGIN SCALE: four writers, each with a session of its
# own (not the one the reads use): the parent sends a message to the teacher and signs a
# mot, the pupil hands in work and ticks « fait ».
start_writers() {
    local scale=$3 parent pupil ptoken etoken teacher mot child answer work tick base
    base="http://127.0.0.1:$PORT"
    parent=$(login "$1" write)
    pupil=$(login "$2" write)
    ptoken=$(csrf "$parent")
    etoken=$(csrf "$pupil")
    teacher=$({ get "$parent" /messagerie/ecrire | grep -oE 'value="u[0-9]+"' || true; } | head -1 | sed 's/value="//; s/"//')
    mot=$(first_link "$parent" /carnet '/carnet/[0-9]+')
    child=$(first_link "$parent" /accueil '/eleves/[0-9]+' | sed 's|.*/||')
    answer=""
    if [ -n "$mot" ]; then
        get "$parent" "$mot" >"$WORK/mot.html"
        child=$(grep -oE 'name="eleve"[^>]*value="[0-9]+"' "$WORK/mot.html" | head -1 | grep -oE '[0-9]+"$' | tr -d '"' || true)
        [ -z "$child" ] && child=$(first_link "$parent" /accueil '/eleves/[0-9]+' | sed 's|.*/||')
        grep -q 'name="reponse"' "$WORK/mot.html" && answer=oui
    fi
    work=""
    for w in $({ get "$pupil" /devoirs | grep -oE 'href="/devoirs/[0-9]+"' || true; } | sed 's/href="//; s/"//' | head -12); do
        get "$pupil" "$w" >"$WORK/work.html"
        if grep -q "action=\"$w/rendre" "$WORK/work.html"; then work=$w; break; fi
    done
    tick=$({ get "$pupil" /cahier-de-textes | grep -oE 'action="/cahier-de-textes/[0-9]+/fait"' || true; } | head -1 | sed 's/action="//; s/"//')
    echo "   écritures : message à $teacher, signature de $mot (élève $child${answer:+, réponse $answer}), rendu $work, « fait » $tick"
    [ -z "$teacher" ] && echo "!! écritures : aucun destinataire dans /messagerie/ecrire" >&2
    [ -z "$mot" ] && echo "!! écritures : aucun mot dans /carnet" >&2
    [ -z "$work" ] && echo "!! écritures : aucun travail à rendre dans /devoirs" >&2
    [ -z "$tick" ] && echo "!! écritures : aucune case « fait » dans /cahier-de-textes" >&2
    : >"$WORK/w-$scale-message"; : >"$WORK/w-$scale-signature"; : >"$WORK/w-$scale-rendu"; : >"$WORK/w-$scale-fait"
    if [ -n "$teacher" ]; then
        writer message "$scale" -H "Cookie: $parent" -H "x-csrf-token: $ptoken" \
            -F "to=$teacher" -F "subject=Question du matin" -F "body=Bonjour, une petite question sur la sortie." \
            -F "action=envoyer" "$base/messagerie/ecrire" &
        WRITERS+=($!)
    fi
    if [ -n "$mot" ]; then
        writer signature "$scale" -H "Cookie: $parent" --data-urlencode "_csrf=$ptoken" \
            --data-urlencode "eleve=$child" ${answer:+--data-urlencode "reponse=$answer"} "$base$mot/signer" &
        WRITERS+=($!)
    fi
    if [ -n "$work" ]; then
        writer rendu "$scale" -H "Cookie: $pupil" -H "x-csrf-token: $etoken" \
            -F "text=Voici mon travail, j'ai tout fait." "$base$work/rendre" &
        WRITERS+=($!)
    fi
    if [ -n "$tick" ]; then
        writer fait "$scale" -H "Cookie: $pupil" --data-urlencode "_csrf=$etoken" "$base$tick" &
        WRITERS+=($!)
    fi
}

# count_writes SCALE: the writes done and refused, per kind.
count_writes() {
    local scale=$1 kind done refused why line=""
    for kind in message signature rendu fait; do
        done=$(grep -c '^done' "$WORK/w-$scale-$kind" 2>/dev/null || true)
        refused=$(grep -c '^refused' "$WORK/w-$scale-$kind" 2>/dev/null || true)
        why=$({ grep '^refused' "$WORK/w-$scale-$kind" 2>/dev/null || true; } | sort | uniq -c | sort -rn | head -1 | sed 's/^ *\([0-9]*\) refused /\1× /')
        line+="$kind ${done:-0} faites / ${refused:-0} refusées${why:+ (${why})} ; "
        if [ "${refused:-0}" -gt 0 ]; then
            cp "$WORK/w-$kind.html" "${TMPDIR:-/tmp}/school-morning-refused-$scale-$kind.html" 2>/dev/null || true
        fi
    done
    WRITES_DONE[$scale]=$line
}

# ratio A B: A / B with two decimals, « - » when either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

print_table() {
    local scales first last name s row head1 head2
    read -ra scales <<<"$SCALES"
    first=${scales[0]}
    last=${scales[${#scales[@]}-1]}
    echo
    if [ "$INSTRUCTIONS" != 0 ]; then
        echo
        echo "== instructions a request (callgrind, $REQUESTS requests a page; « req/s » holds instructions, « ratio » is /healthz's instructions over the page's)"
    fi
    echo "== school morning: ${DURATION} s per page, $CONNECTIONS connections, $(nproc) cores, $(uname -m), writes: $([ "$WRITES" != 0 ] && echo on || echo off)"
    head1=$(printf '%-20s |' page)
    head2=$(printf '%-20s |' "")
    for s in "${scales[@]}"; do
        head1+=$(printf ' %8s %7s %7s %5s |' req/s p50 p99 ratio)
        head2+=$(printf ' %-30s |' "scale $s (ms; ratio to /healthz)")
    done
    if [ "$first" != "$last" ]; then
        head1+=$(printf ' %6s %6s' p50 p99)
        head2+=" scale $last/$first"
    fi
    echo "$head1"
    echo "$head2"
    for name in "${ORDER[@]}"; do
        row=$(printf '%-20s |' "$name")
        for s in "${scales[@]}"; do
            if [ "${STATUS[$s,$name]:-}" = ok ]; then
                local r
                if [ "$INSTRUCTIONS" != 0 ]; then
                    r=$(ratio "${RPS[$s,healthz]:-}" "${RPS[$s,$name]}")
                else
                    r=$(ratio "${RPS[$s,$name]}" "${RPS[$s,healthz]:-}")
                fi
                row+=$(printf ' %8s %7s %7s %5s |' "${RPS[$s,$name]}" "${P50[$s,$name]}" "${P99[$s,$name]}" "$r")
            else
                row+=$(printf ' %-30s |' "${STATUS[$s,$name]:-non mesurée}")
            fi
        done
        if [ "$first" != "$last" ]; then
            row+=$(printf ' %6s %6s' "$(ratio "${P50[$last,$name]:-}" "${P50[$first,$name]:-}")" \
                "$(ratio "${P99[$last,$name]:-}" "${P99[$first,$name]:-}")")
        fi
        echo "$row"
    done
    for s in "${scales[@]}"; do
        echo "scale $s: demo created in ${DEMO_TIME[$s]} ms; start → /healthz ${START[$s]} ms; RSS idle ${RSS_IDLE[$s]} MiB, peak ${RSS_PEAK[$s]} MiB (${RSS_BACKUP[$s]} MiB by the end of the first backup)"
        if [ "$WRITES" != 0 ]; then echo "scale $s writes: ${WRITES_DONE[$s]:-none}"; fi
    done
    echo "binary: $BINARY_SIZE bytes ($BIN)"
}
