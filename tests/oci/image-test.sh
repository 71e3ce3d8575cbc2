#!/usr/bin/env bash
# The OCI image, built from a binary and checked without a container daemon:
#   BIN=target/debug/preau bash tests/oci/image-test.sh
# (BIN defaults to the debug binary, built if missing, so that CI needs no release build;
# give the static release binary to check the image that ships.)
#  1. packaging/oci/build-image.py writes the OCI layout;
#  2. every blob matches its digest, the layer's diff_id matches it uncompressed, the
#     config names a non-root user, the entrypoint, the health check, the data volume,
#     and the layer holds the binary (same bytes) and /var/lib/preau owned by that user;
#  3. the layer is unpacked and the binary inside runs: --version, then a short serve on
#     loopback answering /healthz and stopping cleanly on SIGTERM;
#  4. as root with chroot (no runtime needed), the unpacked image runs as its own user
#     (uid 10001) in its own file tree: the demo school is made and served, /healthz
#     answers through `preau healthcheck` (the image's health check), SIGTERM stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-target/debug/preau}
if [[ ! -x "$BIN" ]]; then
    [[ "$BIN" == target/debug/preau ]] || { echo "no binary at $BIN" >&2; exit 1; }
    cargo build --locked
fi
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build the OCI layout from $BIN"
python3 packaging/oci/build-image.py --bin "$BIN" --out "$WORK/layout"
du -sb "$WORK/layout/blobs" | awk '{printf "image size (blobs): %.1f MiB\n", $1/1048576}'

echo "== inspect the layout, its config and its layer"
python3 - "$WORK/layout" "$BIN" "$WORK/rootfs" <<'EOF'
import gzip, hashlib, io, json, os, sys, tarfile
layout, binary, rootfs = sys.argv[1:]
def blob(digest):
    algo, hexd = digest.split(":")
    data = open(os.path.join(layout, "blobs", algo, hexd), "rb").read()
    assert hashlib.sha256(data).hexdigest() == hexd, f"blob {digest} does not match its digest"
    return data
assert json.load(open(os.path.join(layout, "oci-layout"))) == {"imageLayoutVersion": "1.0.0"}
index = json.load(open(os.path.join(layout, "index.json")))
assert index["schemaVersion"] == 2 and len(index["manifests"]) == 1
desc = index["manifests"][0]
manifest_bytes = blob(desc["digest"])
assert len(manifest_bytes) == desc["size"]
manifest = json.loads(manifest_bytes)
assert manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
config = json.loads(blob(manifest["config"]["digest"]))
c = config["config"]
user = c["User"]
assert user.split(":")[0] not in ("", "0", "root"), f"runs as root: {user}"
assert c["Entrypoint"] == ["/usr/bin/preau"] and c["Cmd"] == ["serve"], c
assert c["Healthcheck"]["Test"] == ["CMD", "/usr/bin/preau", "healthcheck"], c["Healthcheck"]
assert "/var/lib/preau" in c["Volumes"], c["Volumes"]
assert "PREAU_DATA_DIR=/var/lib/preau" in c["Env"], c["Env"]
assert c["StopSignal"] == "SIGTERM"
assert config["os"] == "linux" and config["rootfs"]["type"] == "layers"
assert len(manifest["layers"]) == len(config["rootfs"]["diff_ids"]) == 1
layer = blob(manifest["layers"][0]["digest"])
raw = gzip.decompress(layer)
assert "sha256:" + hashlib.sha256(raw).hexdigest() == config["rootfs"]["diff_ids"][0], "diff_id"
t = tarfile.open(fileobj=io.BytesIO(raw))
members = {m.name: m for m in t.getmembers()}
b = members["usr/bin/preau"]
assert b.mode == 0o755 and b.uid == 0, (oct(b.mode), b.uid)
assert t.extractfile(b).read() == open(binary, "rb").read(), "the binary in the image is not BIN"
d = members["var/lib/preau"]
assert d.isdir() and d.uid == int(user.split(":")[0]) and d.mode == 0o700, (d.uid, oct(d.mode))
passwd = t.extractfile(members["etc/passwd"]).read().decode()
assert f"preau:x:{user.split(':')[0]}:" in passwd, passwd
for m in t.getmembers():
    assert not m.name.startswith("/") and ".." not in m.name.split("/"), m.name
    assert m.isdir() or m.isfile(), f"unexpected entry {m.name}"
os.makedirs(rootfs)
# Entries checked above: plain files and folders, relative, no « .. ».
kw = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
t.extractall(rootfs, numeric_owner=True, **kw)
print(f"user {user}, entrypoint {c['Entrypoint']}, health check {c['Healthcheck']['Test']}, "
      f"{len(members)} entries, static: {c['Labels']['fr.preau.static']}")
work = os.path.dirname(rootfs)
json.dump(c["Env"], open(os.path.join(work, "env.json"), "w"))
open(os.path.join(work, "user"), "w").write(user)
EOF

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# The image's environment, as a runtime would set it.
mapfile -t IMAGE_ENV < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$WORK/env.json")

wait_health() { # port pid
    for _ in $(seq 1 150); do
        if curl -sf "http://127.0.0.1:$1/healthz" 2>/dev/null; then echo; return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "the server stopped" >&2; return 1; }
        sleep 0.2
    done
    echo "no answer on /healthz" >&2
    return 1
}
stop_cleanly() { # pid log
    kill -TERM "$1"
    local rc=0
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    wait "$1" || rc=$?
    [[ $rc == 0 ]] || { echo "exit status $rc after SIGTERM" >&2; cat "$2" >&2; return 1; }
    grep -q "Préau arrêté, données écrites sur le disque" "$2" \
        || { echo "no clean stop in the log" >&2; cat "$2" >&2; return 1; }
    echo "stopped cleanly on SIGTERM"
}

echo "== the binary extracted from the image runs"
"$WORK/rootfs/usr/bin/preau" --version
PORT=$(free_port)
mkdir -m 700 "$WORK/data"
env -i "${IMAGE_ENV[@]}" PREAU_DATA_DIR="$WORK/data" PREAU_HTTP_PORT="$PORT" PREAU_LISTEN=127.0.0.1 \
    "$WORK/rootfs/usr/bin/preau" serve >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_health "$PORT" "${PIDS[-1]}"
env -i "${IMAGE_ENV[@]}" PREAU_DATA_DIR="$WORK/data" PREAU_HTTP_PORT="$PORT" \
    "$WORK/rootfs/usr/bin/preau" healthcheck >/dev/null
stop_cleanly "${PIDS[-1]}" "$WORK/serve.log"

# The devices every OCI runtime gives a container (runc, crun, Kubernetes): a static
# binary reads its randomness from /dev/urandom, glibc's getrandom being out of reach
# without dlsym.
make_devices() {
    mkdir -p "$WORK/rootfs/dev"
    local dev name major minor
    for dev in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9"; do
        read -r name major minor <<<"$dev"
        mknod -m 666 "$WORK/rootfs/dev/$name" c "$major" "$minor" 2>/dev/null || return 1
    done
}
if [[ "$(id -u)" == 0 ]] && command -v chroot >/dev/null && make_devices; then
    echo "== the unpacked image runs the demo school as its own user, in its own file tree"
    USERSPEC=$(cat "$WORK/user")
    CHROOT=$(command -v chroot)
    PORT=$(free_port)
    in_image() {
        env -i "${IMAGE_ENV[@]}" PREAU_HTTP_PORT="$PORT" PREAU_LISTEN=127.0.0.1 PREAU_BCRYPT_COST=4 \
            "$CHROOT" --userspec="$USERSPEC" "$WORK/rootfs" /usr/bin/preau "$@"
    }
    in_image demo --no-serve >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
    grep "École de démonstration créée" "$WORK/demo.log"
    # A simple command, so that the background job is the server itself (SIGTERM reaches it).
    env -i "${IMAGE_ENV[@]}" PREAU_HTTP_PORT="$PORT" PREAU_LISTEN=127.0.0.1 \
        "$CHROOT" --userspec="$USERSPEC" "$WORK/rootfs" /usr/bin/preau serve >"$WORK/image.log" 2>&1 &
    PIDS+=($!)
    health=$(wait_health "$PORT" "${PIDS[-1]}")
    echo "$health"
    [[ "$health" == *'"installed":true'* ]] || { echo "the demo school is not installed" >&2; exit 1; }
    in_image healthcheck >/dev/null && echo "the image's health check passes"
    # The data went to the volume, owned by the image's user.
    [[ "$(stat -c %u "$WORK/rootfs/var/lib/preau/db-sled-0.34")" == "${USERSPEC%%:*}" ]]
    stop_cleanly "${PIDS[-1]}" "$WORK/image.log"
else
    echo "(not root, no chroot or no mknod: the unpacked image was not run as its own user)"
fi
echo "OCI image: OK"
