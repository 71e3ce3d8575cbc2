#!/usr/bin/env bash
# School-morning benchmark: starts the release binary on the demo school (`preau demo`),
# then, on loopback only, loads the main page of every module with wrk, each as the
# profile that uses it, while a write mix runs beside the reads (a parent sends messages
# and signs a mot, a pupil hands in work and ticks « fait »). Prints ONE table: per page
# req/s, p50, p99 and throughput as a ratio of /healthz (measured in the same run, with the
# writes running as for every page; also alone, before they start), at scale 1 and scale
# 10, and the scale-10 / scale-1 latency ratios;
# then RSS idle and peak, time from start to /healthz, binary size, writes done/refused.
#   bash tests/bench/school-morning.sh            # needs wrk (apt-get install wrk)
# Settings:
#   DURATION     seconds per page (default 5)        CONNECTIONS (default 100)
#   THREADS      wrk threads (default 2)             SCALES      (default "1 10")
#   PAGES        only these pages, by name prefix, comma-separated (e.g.
#                PAGES="accueil,messagerie"; /healthz is always measured)
#   WRITES       0 to measure the reads alone (default 1)
#   WRITE_PAUSE  seconds between two writes of one writer (default 0.05; the messages
#                every MESSAGE_PAUSE = 2.1 s, under the 30-a-minute limit of a person)
#   BIN          a binary already built (skips `cargo build --release`)
#   INSTRUCTIONS 1 to count, instead of timing with wrk, the instructions the server runs
#                per request (valgrind's callgrind, REQUESTS=10 sequential requests a page,
#                writes off): the same figure whatever else the machine is doing, so a
#                change can be measured while it builds. Needs a binary with symbols:
#                BIN=target/profiling/preau after `cargo build --profile profiling`.
# A default run (about 75 pages, two scales, 5 s each) lasts about 15 minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=tests/bench

DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-2}
SCALES=${SCALES:-1 10}
PAGES=${PAGES:-}
WRITES=${WRITES:-1}
WRITE_PAUSE=${WRITE_PAUSE:-0.05}
MESSAGE_PAUSE=${MESSAGE_PAUSE:-2.1}
export PASSWORD=Demo-Preau-2026
BEGAN=$(date +%s)

INSTRUCTIONS=${INSTRUCTIONS:-0}
REQUESTS=${REQUESTS:-10}
if [ "$INSTRUCTIONS" != 0 ]; then
    WRITES=0
    command -v callgrind_control >/dev/null 2>&1 || { echo "valgrind est nécessaire : apt-get install -y valgrind" >&2; exit 1; }
elif ! command -v wrk >/dev/null 2>&1; then
    echo "wrk est nécessaire : apt-get install -y wrk" >&2
    exit 1
fi

if [ -z "${BIN:-}" ]; then
    echo "== build (release)"
    cargo build --release --locked >/dev/null 2>&1 || cargo build --release --locked
    BIN=target/release/preau
fi
BINARY_SIZE=$(stat -c %s "$BIN")

WORK=$(mktemp -d)
export WORK
SERVER_PID=""
WRITERS=()
stop_writers() {
    touch "$WORK/stop"
    for p in "${WRITERS[@]}"; do wait "$p" 2>/dev/null || true; done
    WRITERS=()
    rm -f "$WORK/stop"
}
cleanup() {
    touch "$WORK/stop"
    for p in "${WRITERS[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=tests/bench/morning-lib.sh
. "$HERE/morning-lib.sh"

declare -A RPS P50 P99 STATUS RSS_IDLE RSS_BACKUP RSS_PEAK START DEMO_TIME WRITES_DONE WRITES_REFUSED
ORDER=()

# wanted NAME: whether PAGES selects this page.
wanted() {
    [ -z "$PAGES" ] && return 0
    local p
    IFS=',' read -ra want <<<"$PAGES"
    for p in "${want[@]}"; do
        [[ "$1" == "$p"* ]] && return 0
    done
    return 1
}

# page SCALE NAME PATH [COOKIE]: checks the page answers 2xx, then benches it.
page() {
    local scale=$1 name=$2 path=$3 cookie=${4:-} code out
    [[ "$name" == healthz* ]] || wanted "$name" || return 0
    [[ " ${ORDER[*]} " == *" $name "* ]] || ORDER+=("$name")
    if [ -z "$path" ]; then
        echo "!! $name : adresse introuvable dans les pages (rien à mesurer)" >&2
        STATUS[$scale,$name]="absente"
        return 0
    fi
    code=$(curl -s -o "$WORK/check" -w '%{http_code}' ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$PORT$path")
    if [[ "$code" != 2* ]]; then
        echo "!! $name : $path répond $code (non mesurée)" >&2
        STATUS[$scale,$name]="HTTP $code"
        return 0
    fi
    if [ "$INSTRUCTIONS" != 0 ]; then
        count_instructions "$scale" "$name" "$path" "$cookie"
        return 0
    fi
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$PORT$path")
    if echo "$out" | grep -q "Non-2xx"; then
        echo "!! $name : réponses non 2xx pendant la mesure : $(echo "$out" | grep "Non-2xx")" >&2
    fi
    RPS[$scale,$name]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    P50[$scale,$name]=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    P99[$scale,$name]=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    STATUS[$scale,$name]=ok
    printf '   %-24s %9s req/s  p50 %7s ms  p99 %7s ms  (%s)\n' "$name" "${RPS[$scale,$name]}" \
        "${P50[$scale,$name]}" "${P99[$scale,$name]}" "$path"
}

bench_school() { # scale
    local scale=$1 dir="$WORK/demo-$1" t0 t1 demo_out
    PORT=$(free_port)
    t0=$(date +%s%N)
    demo_out=$(PREAU_LOG=warn "$BIN" --data-dir "$dir" demo --no-serve --no-mdns --scale "$scale" 2>/dev/null)
    t1=$(date +%s%N)
    DEMO_TIME[$scale]=$(( (t1 - t0) / 1000000 ))
    echo "$demo_out" | head -1
    # wrk opens all its connections from 127.0.0.1: lift the per-address cap (256), which
    # is there for one device or one script, not for a benchmark.
    echo "max_connections_per_address = 4096" >>"$dir/preau.toml"
    start_server "$dir" "$PORT"
    START[$scale]=$START_MS
    # A first start makes a backup at once (there is none yet): idle is measured after it,
    # as a school's box spends its day; the peak keeps what the backup cost.
    local waited=0
    until compgen -G "$dir/sauvegardes/preau-nuit-*.tar" >/dev/null || [ "$waited" -ge 600 ]; do
        sleep 0.1; waited=$((waited + 1))
    done
    sleep 2
    RSS_IDLE[$scale]=$(( $(rss_kib "$SERVER_PID") / 1024 ))
    RSS_BACKUP[$scale]=$(( $(hwm_kib "$SERVER_PID") / 1024 ))
    local parent pupil young teacher director mairie
    local parent_login pupil_login young_login mairie_login
    parent_login=$(demo_login "$demo_out" "Responsable légal")
    pupil_login=$(demo_login "$demo_out" "Élève")
    # A CP pupil: the youngest pupils' home (pictogram tiles, the day's work, the class blog).
    young_login=$(demo_login "$demo_out" "Élève de CP")
    local commune
    parent=$(login "$parent_login" read)
    pupil=$(login "$pupil_login" read)
    young=${young_login:+$(login "$young_login" read)}
    teacher=$(login nadia.belkacem read)
    director=$(login direction read)
    mairie_login=$(demo_login "$demo_out" "Personnel de la commune")
    mairie=${mairie_login:+$(login "$mairie_login" read)}
    # The same account runs the commune's resources.
    commune=$mairie
    # The addresses, found in the pages as a visitor would follow them.
    local class child message mot follow blog article space grid sheet resource
    class=$(first_link "$teacher" /accueil '/classes/[0-9]+')
    child=$(first_link "$parent" /accueil '/eleves/[0-9]+')
    message=$(first_link "$parent" /messagerie '/messagerie/[0-9]+')
    mot=$(first_link "$parent" /carnet '/carnet/[0-9]+')
    follow=$(first_link "$teacher" /carnet '/carnet/[0-9]+')
    follow=${follow:+$follow/suivi}
    blog=$(first_link "$parent" /blog '/blog/classe-[0-9]+')
    article=${blog:+$(first_link "$parent" "$blog" '/blog/article/[0-9]+')}
    space=$(first_link "$teacher" /mediatheque '/mediatheque/espace/classe-[0-9]+')
    # The demo's grid of meetings is in the demo parent's child's class; the director
    # runs every class's grids.
    grid=$(first_link "$parent" /rendez-vous '/rendez-vous/[0-9]+')
    sheet=${grid:+$(first_link "$director" "$grid" '/rendez-vous/[0-9]+/feuille\?jour=[0-9-]+')}
    resource=$(first_link "$teacher" /reservations '/reservations/ressource/[0-9]+')
    # The commune's space: a page and a bus line as a family finds them, Nadia's request.
    local commune_page bus_line request
    commune_page=$(first_link "$parent" /commune '/commune/page/[0-9]+')
    bus_line=$(first_link "$parent" /commune '/commune/transport/[0-9]+')
    request=$(first_link "$teacher" /commune/demandes '/commune/demandes/[0-9]+')
    # The maternelle's carnets de suivi: the Lutins' teacher, a guardian of one of them.
    local nursery nursery_login nursery_parent nursery_parent_login suivi_class suivi_child suivi_own
    nursery_login=$(demo_login "$demo_out" "Enseignante de maternelle")
    nursery=${nursery_login:+$(login "$nursery_login" read)}
    nursery_parent_login=$(demo_login "$demo_out" "Responsable d'un enfant de maternelle")
    nursery_parent=${nursery_parent_login:+$(login "$nursery_parent_login" read)}
    suivi_class=${nursery:+$(first_link "$nursery" /suivi '/suivi/classe/[0-9]+')}
    suivi_child=${suivi_class:+$(first_link "$nursery" "$suivi_class" '/suivi/eleve/[0-9]+')}
    suivi_own=${nursery_parent:+$(first_link "$nursery_parent" /suivi '/suivi/eleve/[0-9]+')}
    # The synthèse des acquis of GS, as a guardian of a Hiboux' GS child reads and signs it.
    local gs_parent gs_parent_login gs_child
    gs_parent_login=$(demo_login "$demo_out" "Responsable d'un enfant de GS")
    gs_parent=${gs_parent_login:+$(login "$gs_parent_login" read)}
    gs_child=${gs_parent:+$(first_link "$gs_parent" /suivi '/suivi/eleve/[0-9]+')}
    # The élémentaire's livret: the CM1's teacher on the first trimestre's français grid,
    # a guardian of a CM1 pupil on the published bilan.
    local cm1 cm1_login cm1_parent cm1_parent_login livret_class livret_t1 livret_grid livret_own
    cm1_login=$(demo_login "$demo_out" "Enseignant de CM1")
    cm1=${cm1_login:+$(login "$cm1_login" read)}
    cm1_parent_login=$(demo_login "$demo_out" "Responsable d'un élève de CM1")
    cm1_parent=${cm1_parent_login:+$(login "$cm1_parent_login" read)}
    livret_class=${cm1:+$(first_link "$cm1" /suivi '/suivi/livret/classe/[0-9]+')}
    livret_t1=${livret_class:+$(first_link "$cm1" "$livret_class" '/suivi/livret/classe/[0-9]+\?periode=[0-9]+')}
    livret_grid=${livret_t1:+${livret_t1/\?//grille?}&matiere=francais}
    livret_own=${cm1_parent:+$(first_link "$cm1_parent" /suivi '/suivi/livret/eleve/[0-9]+')}

    if [ "$WRITES" != 0 ]; then
        page "$scale" healthz-sans-ecritures /healthz
        start_writers "$parent_login" "$pupil_login" "$scale"
    fi
    # The ceiling, under the same write mix as the pages: the writers' own processes (a
    # curl and a sleep per write) take a share of the two cores that no page should be
    # charged with.
    page "$scale" healthz /healthz
    page "$scale" accueil-parent /accueil "$parent"
    page "$scale" accueil-eleve /accueil "$pupil"
    page "$scale" accueil-eleve-cp "${young:+/accueil}" "$young"
    page "$scale" accueil-enseignant /accueil "$teacher"
    page "$scale" eleve-vu-parent "$child" "$parent"
    page "$scale" messagerie /messagerie "$parent"
    page "$scale" message "$message" "$parent"
    page "$scale" carnet /carnet "$parent"
    page "$scale" carnet-suivi "$follow" "$teacher"
    page "$scale" mot "$mot" "$parent"
    page "$scale" cahier-de-textes /cahier-de-textes "$pupil"
    page "$scale" devoirs /devoirs "$pupil"
    page "$scale" classeur /classeur "$pupil"
    page "$scale" exercices /exercices "$pupil"
    page "$scale" blog /blog "$parent"
    page "$scale" blog-classe "$blog" "$parent"
    page "$scale" blog-article "$article" "$parent"
    page "$scale" mediatheque "$space" "$teacher"
    page "$scale" agenda /agenda "$parent"
    page "$scale" actualites /actualites "$parent"
    page "$scale" notifications /notifications "$parent"
    page "$scale" cantine /cantine "$parent"
    page "$scale" classe "$class" "$teacher"
    page "$scale" services-classe "$class/services" "$teacher"
    page "$scale" appel /appel "$teacher"
    page "$scale" absences /absences "$parent"
    page "$scale" rendez-vous /rendez-vous "$parent"
    page "$scale" rendez-vous-grille "$grid" "$parent"
    page "$scale" rendez-vous-nouvelle /rendez-vous/nouvelle "$teacher"
    page "$scale" rendez-vous-enseignant "$grid" "$director"
    page "$scale" rendez-vous-feuille "$sheet" "$director"
    page "$scale" reservations /reservations "$teacher"
    page "$scale" reservations-semaine "$resource" "$teacher"
    page "$scale" reservations-ressources /reservations/ressources "$director"
    page "$scale" commune /commune "$parent"
    page "$scale" commune-page "$commune_page" "$parent"
    page "$scale" commune-ligne "$bus_line" "$parent"
    page "$scale" commune-ligne-eleves "${bus_line:+${mairie:+$bus_line/eleves}}" "$mairie"
    page "$scale" commune-demandes /commune/demandes "$mairie"
    page "$scale" commune-demande "$request" "$teacher"
    page "$scale" commune-demande-nouvelle /commune/demandes/nouvelle "$teacher"
    page "$scale" reservations-commune "${commune:+/reservations/commune}" "$commune"
    page "$scale" suivi-classe "$suivi_class" "$nursery"
    page "$scale" suivi-carnet-enseignant "$suivi_child" "$nursery"
    page "$scale" suivi-reussite-nouvelle "${suivi_class:+$suivi_class/reussite}" "$nursery"
    page "$scale" suivi "${nursery_parent:+/suivi}" "$nursery_parent"
    page "$scale" suivi-carnet-famille "$suivi_own" "$nursery_parent"
    page "$scale" suivi-enfant "${young:+/suivi}" "$young"
    page "$scale" suivi-synthese "${gs_child:+$gs_child/synthese}" "$gs_parent"
    page "$scale" livret-grille "$livret_grid" "$cm1"
    page "$scale" livret-famille "$livret_own" "$cm1_parent"
    page "$scale" livret-lsu /suivi/livret/lsu "$director"
    page "$scale" livret-periodes /suivi/livret/periodes "$director"
    # The sheets a family prints: the published bilan, the GS synthèse.
    local livret_print
    livret_print=${livret_own:+$(first_link "$cm1_parent" "$livret_own" '/suivi/livret/eleve/[0-9]+/imprimer[^"]*')}
    page "$scale" livret-imprimer "${livret_print//&amp;/&}" "$cm1_parent"
    page "$scale" synthese-imprimer "${gs_child:+$gs_child/synthese/imprimer}" "$gs_parent"
    page "$scale" suivi-attendus "${nursery:+/suivi/attendus}" "$nursery"
    # Access from home: the director's page, a parent's devices and the phone's switcher.
    page "$scale" acces-maison /admin/acces-maison "$director"
    page "$scale" notifications-push /compte/notifications-push "$parent"
    page "$scale" changer-de-compte /compte/changer-de-compte "$parent"
    # The teacher's own mot with its call for accompagnateurs (the offers in order).
    page "$scale" mot-enseignant "${follow%/suivi}" "$teacher"
    page "$scale" comptes /admin/comptes "$director"
    page "$scale" import /admin/import "$director"
    page "$scale" autorisations-photo /admin/autorisations-photo "$director"
    page "$scale" supervision /admin/supervision "$director"
    page "$scale" statistiques /admin/statistiques "$director"
    page "$scale" aide-console /admin/aide "$director"
    page "$scale" memoire-console /admin/memoire "$director"
    # The blog's photo check an article of the class page's « Mémoire de l'année » leads to.
    local photo_check
    photo_check=${class:+$(first_link "$teacher" "$class" '/blog/article/[0-9]+/photos')}
    page "$scale" photos-a-verifier "$photo_check" "$teacher"
    # What the installed app shows offline when it has no saved copy (served without session).
    page "$scale" hors-ligne /hors-ligne
    page "$scale" connexion /connexion
    page "$scale" mes-donnees /compte/mes-donnees "$parent"
    page "$scale" accessibilite /accessibilite "$parent"
    page "$scale" affichage /compte/affichage "$parent"
    page "$scale" aide /aide "$parent"
    page "$scale" aide-familles /aide/familles "$parent"
    # The search: a word of the demo found in several services, as a parent, a teacher, the
    # director (who reads the most), one service's own results (twenty a page), and a word
    # found nowhere.
    page "$scale" recherche-parent "/recherche?q=sortie" "$parent"
    page "$scale" recherche-enseignant "/recherche?q=piscine" "$teacher"
    page "$scale" recherche-direction "/recherche?q=sortie" "$director"
    page "$scale" recherche-un-service "/recherche?q=sortie&dans=articles" "$director"
    page "$scale" recherche-rien "/recherche?q=kermesse" "$parent"
    if [ "$WRITES" != 0 ]; then
        stop_writers
        count_writes "$scale"
    fi
    RSS_PEAK[$scale]=$(( $(hwm_kib "$SERVER_PID") / 1024 ))
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

for s in $SCALES; do
    echo "== scale $s"
    bench_school "$s"
done
print_table
echo "total: $(( $(date +%s) - BEGAN )) s"
