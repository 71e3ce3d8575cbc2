#!/usr/bin/env bash
# The Compose deployment: three schools added by packaging/compose/ajouter-ecole.sh to a
# copy of packaging/compose/, then the files read back: one container, one volume and
# one backup folder per school, Caddy's site for each, a duplicate refused; with
# `docker compose` present, its own check of the whole project.
#   bash tests/compose/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r packaging/compose "$WORK/compose"
cd "$WORK/compose"
cp .env.example .env
./ajouter-ecole.sh bourg ent.ecole-du-bourg.fr >/dev/null
./ajouter-ecole.sh moulin ent.ecole-du-moulin.fr >/dev/null
./ajouter-ecole.sh cerisiers ent.groupe-scolaire-les-cerisiers.fr grande >/dev/null
if ./ajouter-ecole.sh bourg autre.exemple.fr 2>/dev/null; then echo "a duplicate school was added" >&2; exit 1; fi
if ./ajouter-ecole.sh autre ent.ecole-du-bourg.fr 2>/dev/null; then echo "a host was given twice" >&2; exit 1; fi
if ./ajouter-ecole.sh 'Bourg!' x.fr 2>/dev/null; then echo "a bad name was accepted" >&2; exit 1; fi

PY=python3
[[ -x "$OLDPWD/target/kubernetes-validate-venv/bin/python" ]] && PY="$OLDPWD/target/kubernetes-validate-venv/bin/python"
"$PY" - <<'PY'
import os, yaml
top = yaml.safe_load(open("compose.yaml"))
assert [i["path"] for i in top["include"]] == ["ecoles/bourg.yaml", "ecoles/moulin.yaml", "ecoles/cerisiers.yaml"], top["include"]
assert all(i["env_file"] == ".env" for i in top["include"])
assert "caddy" in top["services"]
volumes = set()
for inc in (i["path"] for i in top["include"]):
    school = os.path.basename(inc)[:-5]
    f = yaml.safe_load(open(inc))
    (name,) = f["services"]
    assert name == f"preau-{school}"
    s = f["services"][name]
    mounts = s["volumes"]
    assert f"preau-{school}:/var/lib/preau" in mounts, mounts
    assert f"../sauvegardes/{school}:/sauvegardes" in mounts, mounts
    assert s["environment"]["PREAU_BACKUP_DIR"] == "/sauvegardes"
    assert s["read_only"] is True and s["cap_drop"] == ["ALL"]
    assert s["healthcheck"]["test"] == ["CMD", "/usr/bin/preau", "healthcheck"]
    assert os.path.isdir(f"sauvegardes/{school}")
    volumes |= set(f["volumes"])
    caddy = open(f"ecoles/{school}.caddy").read()
    assert caddy.startswith(s["environment"]["PREAU_PUBLIC_HOST"] + " {"), caddy
    assert f"reverse_proxy preau-{school}:8080 {{\n\t\timport preau" in caddy, caddy
    assert s["environment"]["PREAU_TRUSTED_PROXIES"] == top["services"]["caddy"]["networks"]["default"]["ipv4_address"] + "/32"
    print(f"{school}: {s['environment']['PREAU_PUBLIC_HOST']}, volume preau-{school}, mem {s['mem_limit']}")
assert volumes == {"preau-bourg", "preau-moulin", "preau-cerisiers"}, volumes
PY
if docker compose version >/dev/null 2>&1; then
    ACME_EMAIL=test@example.org docker compose config -q && echo "docker compose config: OK"
else
    echo "(docker compose absent: the project was read with PyYAML only)"
fi
echo "Compose: OK"
