#!/usr/bin/env bash
# Adds a school to this Compose deployment:
#   ./ajouter-ecole.sh NOM HÔTE [petite|grande]
#   ./ajouter-ecole.sh bourg ent.ecole-du-bourg.fr
# writes ecoles/NOM.yaml (its container and volume), ecoles/NOM.caddy (its site), makes
# sauvegardes/NOM/ (its nightly backups, owned by the image's user 10001) and adds the
# school to compose.yaml's include list. Then: docker compose up -d, and the setup code
# is in `docker compose logs preau-NOM`.
set -euo pipefail
cd "$(dirname "$0")"

usage() { echo "usage : $0 NOM HÔTE [petite|grande]" >&2; exit 64; }
[[ $# -ge 2 && $# -le 3 ]] || usage
NOM=$1 HOTE=$2 TAILLE=${3:-petite}
[[ "$NOM" =~ ^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$ ]] \
    || { echo "nom « $NOM » invalide : minuscules, chiffres et tirets (ex. : bourg)" >&2; exit 65; }
[[ "$HOTE" =~ ^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$ && "$HOTE" == *.* ]] \
    || { echo "hôte « $HOTE » invalide : un nom de domaine seul (ex. : ent.ecole-du-bourg.fr)" >&2; exit 65; }
# Memory from the benchmark: 63 MiB at the morning peak for 250 pupils, 136 MiB for
# 3700 accounts; the limit doubles it (an uploaded photo is decoded for its thumbnail).
case "$TAILLE" in
    petite) MEM=128m CACHE=16 ;;
    grande) MEM=288m CACHE=32 ;;
    *) usage ;;
esac
if [[ -e "ecoles/$NOM.yaml" ]]; then
    echo "l'école « $NOM » existe déjà (ecoles/$NOM.yaml)" >&2; exit 65
fi
if grep -rqs -- "^$HOTE {" ecoles/*.caddy; then
    echo "l'hôte « $HOTE » sert déjà une école" >&2; exit 65
fi

cat > "ecoles/$NOM.yaml" <<YAML
# École « $NOM » ($HOTE), added by ajouter-ecole.sh. Paths are relative to this folder.
services:
  preau-$NOM:
    image: \${PREAU_IMAGE:-preau:0.1.0}
    restart: unless-stopped
    environment:
      PREAU_PUBLIC_HOST: "$HOTE"
      # Caddy's fixed address (compose.yaml): only its X-Forwarded-For is believed.
      PREAU_TRUSTED_PROXIES: 172.30.0.2/32
      PREAU_BACKUP_DIR: /sauvegardes
      PREAU_CACHE_MB: "$CACHE"
    volumes:
      - preau-$NOM:/var/lib/preau
      - ../sauvegardes/$NOM:/sauvegardes
    read_only: true
    tmpfs:
      - /tmp
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    # Préau stops cleanly on SIGTERM (requests finish, the store is flushed).
    stop_grace_period: 30s
    mem_limit: $MEM
    healthcheck:
      test: ["CMD", "/usr/bin/preau", "healthcheck"]
      interval: 30s
      timeout: 5s
      start_period: 60s
      retries: 3

volumes:
  preau-$NOM: {}
YAML

cat > "ecoles/$NOM.caddy" <<CADDY
$HOTE {
	encode zstd gzip
	request_body {
		max_size 200MB
	}
	reverse_proxy preau-$NOM:8080 {
		import preau
	}
}
CADDY

mkdir -p "sauvegardes/$NOM"
if [[ "$(id -u)" == 0 ]]; then
    chown 10001:10001 "sauvegardes/$NOM"
    chmod 700 "sauvegardes/$NOM"
else
    echo "à faire en root : chown 10001:10001 $PWD/sauvegardes/$NOM (l'utilisateur de l'image y écrit)" >&2
fi
# The first school turns the empty list into a block list.
sed -i 's/^include: \[\]$/include:/' compose.yaml
# env_file: the school's file reads PREAU_IMAGE from this folder's .env (an included
# file would otherwise read ecoles/.env).
printf '  - path: ecoles/%s.yaml\n    env_file: .env\n' "$NOM" >> compose.yaml

echo "École « $NOM » ajoutée ($HOTE). Ensuite :"
echo "  docker compose up -d preau-$NOM && docker compose exec caddy caddy reload --config /etc/caddy/Caddyfile"
echo "  docker compose logs preau-$NOM | grep \"code d'installation\"   # pour l'assistant https://$HOTE/setup"
