#!/usr/bin/env python3
"""Renders the manifests of every school of a list (ecoles.toml):
    python3 packaging/kubernetes/render.py ecoles.example.toml OUT/
writes OUT/commun.yaml (namespace, backup volume) and OUT/<school>.yaml (Service,
StatefulSet + its volume, PodDisruptionBudget, Ingress, backup CronJob), then
`kubectl apply -f OUT/`. Standard library only (Python 3.11+ for tomllib).
"""
import os
import re
import string
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))

# From the benchmark (tests/bench/school-morning.sh): RSS idle / peak 24 / 63 MiB for
# one school of 250 pupils, 72 / 136 MiB for 3700 accounts. Requests cover the peak,
# the limit doubles it; the store's cache grows with the school.
PROFILES = {
    "petite": {"memory_request": "64Mi", "memory_limit": "128Mi", "cpu_request": "50m",
               "cache_mb": "16", "storage": "10Gi"},
    "grande": {"memory_request": "144Mi", "memory_limit": "288Mi", "cpu_request": "100m",
               "cache_mb": "32", "storage": "40Gi"},
}
NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
HOST = re.compile(r"^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")


def render(template, values):
    with open(os.path.join(HERE, template)) as f:
        return string.Template(f.read()).substitute(values)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        spec = tomllib.load(f)
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    common = spec["commun"]
    with open(os.path.join(out, "commun.yaml"), "w") as f:
        f.write(render("common.yaml", common))
    seen = set()
    for school in spec.get("ecole", []):
        name, host = school["nom"], school["host"]
        if not NAME.match(name) or name in seen:
            sys.exit(f"nom d'école « {name} » invalide ou en double (minuscules, chiffres, tirets)")
        if not HOST.match(host):
            sys.exit(f"nom d'hôte « {host} » invalide")
        seen.add(name)
        profile = PROFILES.get(school.get("profil", "petite"))
        if profile is None:
            sys.exit(f"profil « {school['profil']} » inconnu : {', '.join(PROFILES)}")
        values = dict(common, **profile, ecole=name, host=host,
                      backup_schedule=school.get("sauvegarde", "15 1 * * *"))
        values.update({k: v for k, v in school.items() if k in profile})
        with open(os.path.join(out, f"{name}.yaml"), "w") as f:
            f.write(render("school.yaml", values))
    print(f"{len(seen)} écoles rendues dans {out}")


if __name__ == "__main__":
    main()
