#!/bin/sh
# Installe (ou met à jour) Préau comme service systemd. Idempotent : le relancer met le
# binaire à jour et redémarre le service sans toucher aux données.
#   sudo ./install.sh                      # compile depuis ce dossier (cargo requis)
#   sudo ./install.sh --binary ./preau     # installe un binaire déjà construit
#   sudo ./install.sh --deb preau_0.1.0_amd64.deb   # installe le paquet Debian
set -eu

BINARY=""
DEB=""
PREFIX=/usr/local/bin
UNIT=/etc/systemd/system/preau.service
DATA=/var/lib/preau

while [ $# -gt 0 ]; do
    case "$1" in
        --binary) BINARY="$2"; shift 2 ;;
        --deb) DEB="$2"; shift 2 ;;
        --help|-h) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "option inconnue : $1" >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    echo "Lancez ce script en root (sudo ./install.sh)." >&2
    exit 1
fi

HERE=$(cd "$(dirname "$0")" && pwd)

if [ -n "$DEB" ]; then
    # The package installs the binary, the units and the system user, and starts Préau.
    case "$DEB" in /*) ;; *) DEB="$PWD/$DEB" ;; esac
    apt-get install -y "$DEB"
    exit 0
fi

if [ -z "$BINARY" ]; then
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo est introuvable : installez Rust, ou donnez un binaire avec --binary." >&2
        exit 1
    fi
    echo "Compilation de Préau (quelques minutes)…"
    (cd "$HERE" && cargo build --release --locked)
    BINARY="$HERE/target/release/preau"
fi
[ -x "$BINARY" ] || { echo "binaire introuvable : $BINARY" >&2; exit 1; }

echo "Installation de $PREFIX/preau"
install -D -m 0755 "$BINARY" "$PREFIX/preau.new"
mv -f "$PREFIX/preau.new" "$PREFIX/preau"

if ! id preau >/dev/null 2>&1; then
    echo "Création du compte système preau"
    useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin preau
fi

# The unit names /usr/bin/preau (the package's path): point it at this installation.
sed "s|/usr/bin/preau|$PREFIX/preau|" "$HERE/systemd/preau.service" > "$UNIT.new"
chmod 0644 "$UNIT.new"
mv -f "$UNIT.new" "$UNIT"
systemctl daemon-reload
systemctl enable preau.service >/dev/null
systemctl restart preau.service

# Attendre que le service réponde.
i=0
while [ $i -lt 30 ]; do
    if systemctl is-active --quiet preau.service && [ -d "$DATA" ]; then
        break
    fi
    i=$((i + 1))
    sleep 1
done

HOST=$(sed -n 's/^hostname *= *"\(.*\)"/\1/p' "$DATA/preau.toml" 2>/dev/null || true)
[ -n "$HOST" ] || HOST=ecole
echo
echo "Préau est installé."
echo "  Depuis un appareil du réseau de l'école : https://$HOST.local"
for ip in $(hostname -I 2>/dev/null || true); do
    echo "  ou : https://$ip"
done
if [ -f "$DATA/setup-code" ]; then
    echo
    echo "Code d'installation (à saisir dans l'assistant) : $(cat "$DATA/setup-code")"
else
    echo "L'école est déjà configurée : connectez-vous avec votre compte."
fi
