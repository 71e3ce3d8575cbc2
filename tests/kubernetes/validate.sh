#!/usr/bin/env bash
# The Kubernetes manifests, rendered for the three example schools and validated against
# the Kubernetes schemas (kubernetes-validate, from PyPI, strict: unknown fields fail),
# then checked for what the hosting needs: one pod per school on its own volume, non-root
# with a read-only root, probes on /healthz, resources, a PodDisruptionBudget, an Ingress
# by host, only the Ingress controller let in (and believed for the client's address), the backup CronJob through the admin socket on the school's node.
#   bash tests/kubernetes/validate.sh
# The validator goes in a virtualenv under target/ the first time (about 20 s, 145 MB).
set -euo pipefail
cd "$(dirname "$0")/../.."

K8S_VERSION=${K8S_VERSION:-1.30.0}
VENV=target/kubernetes-validate-venv
if [[ ! -x "$VENV/bin/kubernetes-validate" ]]; then
    echo "== installing kubernetes-validate in $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==1.37.0"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== render the example schools"
python3 packaging/kubernetes/render.py packaging/kubernetes/ecoles.example.toml "$WORK/out"

echo "== validate against the Kubernetes $K8S_VERSION schemas (strict)"
"$VENV/bin/kubernetes-validate" --strict --quiet -k "$K8S_VERSION" "$WORK"/out/*.yaml
# The validator does refuse what is wrong: a misspelt field must fail.
sed 's/readOnlyRootFilesystem: true/readOnlyRootFileSystem: true/' "$WORK/out/bourg.yaml" > "$WORK/wrong.yaml"
if "$VENV/bin/kubernetes-validate" --strict --quiet -k "$K8S_VERSION" "$WORK/wrong.yaml" >/dev/null 2>&1; then
    echo "the validator accepted a misspelt field: it checks nothing" >&2
    exit 1
fi
echo "schemas: OK (and a misspelt field is refused)"

echo "== what the hosting needs, per school"
"$VENV/bin/python" - "$WORK/out" <<'PY'
import glob, os, sys, yaml
out = sys.argv[1]
schools = sorted(os.path.basename(p)[:-5] for p in glob.glob(f"{out}/*.yaml") if not p.endswith("commun.yaml"))
assert schools == ["bourg", "cerisiers", "moulin"], schools
claims = set()
for s in schools:
    docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(f"{out}/{s}.yaml"))}
    sts = docs[("StatefulSet", f"preau-{s}")]["spec"]
    assert sts["replicas"] == 1
    pod = sts["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["runAsUser"] != 0
    (c,) = pod["containers"]
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert c[probe]["httpGet"]["path"] == "/healthz", probe
    req, lim = c["resources"]["requests"], c["resources"]["limits"]
    assert req["memory"] and lim["memory"] and req["cpu"]
    (tpl,) = sts["volumeClaimTemplates"]
    claims.add(f"{tpl['metadata']['name']}-preau-{s}-0")
    assert {"name": "data", "mountPath": "/var/lib/preau"} in c["volumeMounts"]
    assert any(e["name"] == "PREAU_TRUSTED_PROXIES" for e in c["env"])
    assert docs[("NetworkPolicy", f"preau-{s}")]["spec"]["podSelector"] == {"matchLabels": sts["selector"]["matchLabels"]}
    pdb = docs[("PodDisruptionBudget", f"preau-{s}")]["spec"]
    assert pdb["selector"]["matchLabels"] == sts["selector"]["matchLabels"]
    ing = docs[("Ingress", f"preau-{s}")]["spec"]
    (rule,) = ing["rules"]
    assert rule["host"] == ing["tls"][0]["hosts"][0]
    assert rule["http"]["paths"][0]["backend"]["service"]["name"] == f"preau-{s}"
    job = docs[("CronJob", f"preau-{s}-sauvegarde")]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    (b,) = job["containers"]
    assert b["args"][0] == "backup", b["args"]
    assert b["securityContext"]["readOnlyRootFilesystem"] is True
    vols = {v["name"]: v for v in job["volumes"]}
    assert vols["data"]["persistentVolumeClaim"]["claimName"] == f"data-preau-{s}-0"
    aff = job["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert aff["labelSelector"]["matchLabels"] == sts["selector"]["matchLabels"]
    assert aff["topologyKey"] == "kubernetes.io/hostname"
    print(f"{s}: host {rule['host']}, memory {req['memory']} / {lim['memory']}, volume data-preau-{s}-0")
assert len(claims) == 3, "one volume per school"
PY
echo "Kubernetes manifests: OK"
