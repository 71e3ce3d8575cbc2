#!/usr/bin/env -S python3 -u
"""Measures, by hand, what security issue 14 (findings 5 and 6) was about, against a given
`preau` binary (debug or release; run it once with the binary before the fix, once after):

  form       one parent sends a multipart mot to /carnet/ecrire with N text fields of
             200 kB each (default 1 500: 286 MB); prints the answer's status and the
             server's peak memory (VmHWM) and memory left (VmRSS).
  slowloris  the server runs under `prlimit --nofile=1024` (systemd's default soft limit);
             1 500 connections send half a request head and stay; prints how long
             /healthz takes from another address, then how many of the 1 500 the server
             still holds after 20 s.

    python3 tests/bench/limits-measure.py target/debug/preau form
    python3 tests/bench/limits-measure.py target/debug/preau slowloris

Loopback only; the server and its temporary data folder are removed at the end.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

PASSWORD = "Mesure-du-formulaire-2026"


def run(binary, data, *args, stdin=None):
    env = dict(os.environ, PREAU_BCRYPT_COST="4")
    env.pop("PREAU_DATA_DIR", None)
    return subprocess.run(
        [binary, "--data-dir", data, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, data, port):
    env = dict(os.environ, PREAU_BCRYPT_COST="4")
    env.pop("PREAU_DATA_DIR", None)
    proc = subprocess.Popen(
        ["prlimit", "--nofile=1024", binary, "--data-dir", data, "serve", "--no-tls",
         "--no-mdns", "--listen", "127.0.0.1", "--http-port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    sys.exit("the server did not start")


def memory(pid):
    status = open(f"/proc/{pid}/status").read()
    get = lambda k: int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) // 1024
    return get("VmHWM"), get("VmRSS")


class Session:
    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";")[0].split("=", 1)
                self.cookies[name] = value
        text = r.read().decode("utf-8", "replace")
        return r.status, text

    def csrf(self, path):
        _, page = self.request("GET", path)
        return re.search(r'name="_csrf" value="([^"]+)"', page).group(1)


def form(binary, data, port, fields):
    parent = next(l.split()[0] for l in run(binary, data, "user", "list").splitlines()
                  if "responsable" in l)
    run(binary, data, "user", "passwd", parent, "--password-file", "-",
        stdin=PASSWORD + "\n")
    proc = start(binary, data, port)
    try:
        s = Session(port)
        token = s.csrf("/connexion")
        body = f"login={parent}&password={PASSWORD}&_csrf={token}"
        s.request("POST", "/connexion", body,
                  {"Content-Type": "application/x-www-form-urlencoded"})
        token = s.csrf("/compte")  # any page of the session carries its token
        print("before the form: VmHWM %d MB, VmRSS %d MB" % memory(proc.pid))
        boundary = "mesure-preau-14"
        value = b"a" * 200_000
        part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"texte\"\r\n\r\n"
                .encode() + value + b"\r\n")
        end = f"--{boundary}--\r\n".encode()

        def chunks():
            for _ in range(fields):
                yield part
            yield end

        length = len(part) * fields + len(end)
        t = time.time()
        try:
            status, _ = s.request(
                "POST", f"/carnet/ecrire?_csrf={token}", chunks(),
                {"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Content-Length": str(length)})
        except OSError as e:
            status = f"connection closed by the server ({e.__class__.__name__})"
        print(f"{fields} fields x 200 kB ({length // 2**20} MB): answer {status} "
              f"after {time.time() - t:.1f} s")
        print("after the form: VmHWM %d MB, VmRSS %d MB" % memory(proc.pid))
    finally:
        proc.kill()
        proc.wait()


def slowloris(binary, data, port, count):
    proc = start(binary, data, port)
    held = []
    try:
        for i in range(count):
            try:
                c = socket.create_connection(("127.0.0.1", port), timeout=0.5)
                c.sendall(b"GET /accueil HTTP/1.1\r\nHost: ecole.local\r\nX-a: ")
                held.append(c)
            except OSError:
                pass
        print(f"{len(held)} half-open connections sent")
        time.sleep(1)
        t = time.time()
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=30,
                                         source_address=("127.0.0.2", 0))
            c.settimeout(30)
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: ecole.local\r\nConnection: close\r\n\r\n")
            answer = c.recv(64).split(b"\r\n")[0].decode()
            print(f"/healthz from another address: {answer!r} in {time.time() - t:.2f} s")
        except OSError as e:
            print(f"/healthz from another address: no answer after {time.time() - t:.1f} s ({e})")
        time.sleep(20)
        open_ = 0
        for c in held:
            c.setblocking(False)
            try:
                open_ += 0 if c.recv(1, socket.MSG_PEEK) == b"" else 1
            except BlockingIOError:
                open_ += 1
            except OSError:
                pass
        print(f"after 21 s: {open_} of the {len(held)} connections still open")
    finally:
        for c in held:
            c.close()
        proc.kill()
        proc.wait()


def main():
    binary, mode = os.path.abspath(sys.argv[1]), sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    with tempfile.TemporaryDirectory() as data:
        run(binary, data, "demo", "--no-serve")
        port = free_port()
        if mode == "form":
            form(binary, data, port, n)
        else:
            slowloris(binary, data, port, n)


if __name__ == "__main__":
    main()
