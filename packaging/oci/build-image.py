#!/usr/bin/env python3
"""Builds Préau's OCI image without a container daemon: one layer (the binary, a passwd
and group naming the non-root user `preau`, /var/lib/preau owned by it, /tmp, the CA
bundle for e-mail over TLS), its config and manifest, written as an OCI image layout
(a folder, or a .tar of it with --tar) that `skopeo copy oci:…`, `podman load`,
`crane push` or a registry mirror take as it is.

Reproducible: every file gets the same owner, mode and date (SOURCE_DATE_EPOCH, 0 by
default), entries are sorted and gzip carries no name or date; the same binary gives
the same digests.

    python3 packaging/oci/build-image.py --bin target/x86_64-unknown-linux-gnu/release/preau \\
        --out target/oci/preau [--tag 0.1.0] [--tar]

The image is meant for a static binary (packaging/cross-build.sh builds one). A
dynamically linked binary (a debug build, in tests) gets the shared libraries it names
copied from this machine at their paths, so that the image still runs.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time

UID = GID = 10001
DATA = "var/lib/preau"
PORT = 8080
BINARY = "usr/bin/preau"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def shared_libraries(binary):
    """The interpreter and libraries a dynamic binary needs ([] for a static one)."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if out.returncode != 0 or "statically linked" in out.stdout + out.stderr:
        return []
    paths = set()
    for line in out.stdout.splitlines():
        for p in re.findall(r"(/\S+)", line):
            if os.path.isfile(p):
                paths.add(p)
    return sorted(paths)


class Layer:
    """A reproducible tar: sorted entries, fixed owner and date."""

    def __init__(self, mtime):
        self.mtime = mtime
        self.entries = {}

    def directory(self, path, mode=0o755, owner=0):
        self.entries[path] = ("dir", None, mode, owner)

    def file(self, path, data, mode=0o644, owner=0):
        parts = path.split("/")
        for i in range(1, len(parts)):
            self.entries.setdefault("/".join(parts[:i]), ("dir", None, 0o755, 0))
        self.entries[path] = ("file", data, mode, owner)

    def tar(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
            for path in sorted(self.entries):
                kind, data, mode, owner = self.entries[path]
                info = tarfile.TarInfo(path)
                info.mode = mode
                info.uid = info.gid = owner
                info.uname = info.gname = "preau" if owner else "root"
                info.mtime = self.mtime
                if kind == "dir":
                    info.type = tarfile.DIRTYPE
                    t.addfile(info)
                else:
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
        return buf.getvalue()


def build(args):
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    created = "%04d-%02d-%02dT%02d:%02d:%02dZ" % time.gmtime(mtime)[:6]
    with open(args.bin, "rb") as f:
        binary = f.read()
    if not binary.startswith(b"\x7fELF"):
        sys.exit(f"{args.bin} n'est pas un exécutable ELF")
    version = subprocess.run([args.bin, "--version"], capture_output=True, text=True)
    version = version.stdout.split()[-1] if version.returncode == 0 else "inconnue"
    tag = args.tag or version

    layer = Layer(mtime)
    layer.file(BINARY, binary, 0o755)
    layer.file("etc/passwd", (
        "root:x:0:0:root:/root:/sbin/nologin\n"
        f"preau:x:{UID}:{GID}:Préau:/{DATA}:/sbin/nologin\n").encode())
    layer.file("etc/group", f"root:x:0:\npreau:x:{GID}:\n".encode())
    # lettre reads the system's roots to send the e-mail digests over TLS.
    if os.path.isfile(CA_BUNDLE):
        with open(CA_BUNDLE, "rb") as f:
            layer.file(CA_BUNDLE.lstrip("/"), f.read())
    libraries = shared_libraries(args.bin)
    for lib in libraries:
        with open(os.path.realpath(lib), "rb") as f:
            layer.file(lib.lstrip("/"), f.read(), 0o755)
    layer.directory("var", 0o755)
    layer.directory("var/lib", 0o755)
    layer.directory(DATA, 0o700, UID)
    layer.directory("tmp", 0o1777)

    raw = layer.tar()
    gz = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=gz, mtime=0, compresslevel=6) as g:
        g.write(raw)
    compressed = gz.getvalue()

    second = 1_000_000_000
    config = {
        "created": created,
        "architecture": {"x86_64": "amd64", "aarch64": "arm64"}.get(args.arch, args.arch),
        "os": "linux",
        "config": {
            "User": f"{UID}:{GID}",
            "Entrypoint": ["/" + BINARY],
            "Cmd": ["serve"],
            "Env": [
                "PATH=/usr/bin",
                f"PREAU_DATA_DIR=/{DATA}",
                # Behind the hosting's proxy (Caddy, an Ingress): plain HTTP on one port,
                # no LAN announce, cookies still Secure.
                f"PREAU_HTTP_PORT={PORT}",
                "PREAU_NO_TLS=true",
                "PREAU_NO_MDNS=true",
                "PREAU_BEHIND_HTTPS_PROXY=true",
                "PREAU_LOG=info,poem=warn",
            ],
            "ExposedPorts": {f"{PORT}/tcp": {}},
            "Volumes": {f"/{DATA}": {}},
            "WorkingDir": f"/{DATA}",
            "StopSignal": "SIGTERM",
            # Docker's and Podman's extension of the image config (no curl in the image:
            # the binary asks itself).
            "Healthcheck": {
                "Test": ["CMD", "/" + BINARY, "healthcheck"],
                "Interval": 30 * second,
                "Timeout": 5 * second,
                "StartPeriod": 60 * second,
                "Retries": 3,
            },
            "Labels": {
                "org.opencontainers.image.title": "Préau",
                "org.opencontainers.image.description":
                    "L'espace numérique de travail d'une école, en un seul programme",
                "org.opencontainers.image.version": version,
                "org.opencontainers.image.licenses": "AGPL-3.0-or-later",
                "fr.preau.static": "non" if libraries else "oui",
            },
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha256(raw)]},
        "history": [{"created": created, "created_by": "packaging/oci/build-image.py"}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:" + sha256(config_bytes),
            "size": len(config_bytes),
        },
        "layers": [{
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": "sha256:" + sha256(compressed),
            "size": len(compressed),
        }],
        "annotations": {"org.opencontainers.image.version": version},
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:" + sha256(manifest_bytes),
            "size": len(manifest_bytes),
            "platform": {"architecture": config["architecture"], "os": "linux"},
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    }

    out = args.out
    if os.path.exists(out):
        shutil.rmtree(out)
    blobs = os.path.join(out, "blobs", "sha256")
    os.makedirs(blobs)
    for data in (compressed, config_bytes, manifest_bytes):
        with open(os.path.join(blobs, sha256(data)), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, sort_keys=True, separators=(",", ":"))
    if args.tar:
        with tarfile.open(out + ".tar", "w", format=tarfile.PAX_FORMAT) as t:
            for root, dirs, files in os.walk(out):
                dirs.sort()
                for name in sorted(files):
                    path = os.path.join(root, name)
                    info = t.gettarinfo(path, os.path.relpath(path, out))
                    info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
                    with open(path, "rb") as f:
                        t.addfile(info, f)
    print(f"image {tag} : {out} (couche {len(compressed)} octets compressés, "
          f"{len(raw)} décompressés ; {'binaire dynamique + ' + str(len(libraries)) + ' bibliothèques' if libraries else 'binaire statique'})")
    print("manifeste sha256:" + sha256(manifest_bytes))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", required=True, help="the preau binary to put in the image")
    p.add_argument("--out", required=True, help="folder of the OCI layout to write")
    p.add_argument("--tag", help="ref name (default: the binary's version)")
    p.add_argument("--arch", default=os.uname().machine)
    p.add_argument("--tar", action="store_true", help="also write <out>.tar")
    build(p.parse_args())


if __name__ == "__main__":
    main()
