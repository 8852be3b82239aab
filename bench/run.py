"""Helper of bench/run.sh (python3, standard library only).

  run.py seed URL N_SOFTWARE N_RELEASES    seeds through swcat's API (batches of 10);
                                           prints the ids of the first two software
  run.py fetch URL BODY_FILE OUT_FILE      posts one request, writes the answer's bytes;
                                           fails unless it is a 200 without "errors"
  run.py coldstart SWCAT_BIN DB_URL N      starts `swcat serve` N times on DB_URL; prints the
                                           milliseconds until /ready answered 200 (median, each)
  run.py cleanup DB_URL                    deletes what the write mixes left behind (rows
                                           named bench-...), so every run sees the seed only
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def post(url, payload, timeout=300):
    req = urllib.request.Request(url, data=payload, headers={
        "Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def seed(url, n_software, n_releases, batch=10):
    """n_software software named software-0000..., each with n_releases releases whose
    dates repeat across software (so the orders need their id tie-breaks)."""
    mutation = ("mutation($input: CreateSoftwareInput!)"
                "{ createSoftware(input:$input){ id } }")
    ids, pending = [], []

    def flush():
        status, raw = post(url, json.dumps(pending).encode())
        try:
            answers = json.loads(raw)
        except ValueError:
            answers = None
        if status != 200 or not isinstance(answers, list) or len(answers) != len(pending):
            sys.exit(f"seeding failed: HTTP {status}: {raw[:500]!r}")
        for a in answers:
            if not isinstance(a, dict) or a.get("errors"):
                sys.exit(f"seeding failed: {json.dumps(a)[:500]}")
            ids.append(a["data"]["createSoftware"]["id"])
        pending.clear()

    for i in range(n_software):
        releases = [{"version": f"1.{j}",
                     "releaseDate": f"20{10 + j % 10}-{j % 12 + 1:02d}-{i % 28 + 1:02d}"}
                    for j in range(n_releases)]
        pending.append({"query": mutation, "variables": {"input": {
            "displayName": f"software-{i:04d}", "maintainerEmail": f"m{i}@example.org",
            "releases": releases}}})
        if len(pending) == batch:
            flush()
    if pending:
        flush()
    print(f"{ids[0]}\t{ids[1]}")


def fetch(url, body_path, out_path):
    with open(body_path, "rb") as f:
        status, raw = post(url, f.read())
    with open(out_path, "wb") as f:
        f.write(raw)
    if status != 200 or b'"errors"' in raw:
        sys.exit(f"{body_path}: HTTP {status}: {raw[:300]!r}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/ready")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def coldstart(binary, db_url, n):
    """Each start: from launching the process until GET /ready answers 200, polled every
    2 ms (the first connections are refused until the server listens)."""
    times = []
    for _ in range(n):
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "SWCAT_API_TOKENS"}
        started = time.monotonic()
        proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{port}", "--database-url", db_url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            while not ready(port):
                if proc.poll() is not None:
                    sys.exit(f"swcat exited with {proc.returncode} before it was ready")
                if time.monotonic() - started > 30:
                    sys.exit("swcat was not ready within 30 s")
                time.sleep(0.002)
            times.append((time.monotonic() - started) * 1000)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    median = sorted(times)[len(times) // 2]
    print(f"median {median:.1f} ms ({n} starts: {', '.join(f'{t:.1f}' for t in times)} ms)")


CLEANUP = [
    "DELETE FROM release WHERE version LIKE 'bench-%'",
    "DELETE FROM software WHERE display_name LIKE 'bench-%'",
]


def cleanup(db_url):
    if db_url.startswith("sqlite:"):
        import sqlite3
        path = db_url.split("://", 1)[1].split("?", 1)[0]
        db = sqlite3.connect(path, timeout=30)
        try:
            for sql in CLEANUP:
                db.execute(sql)
            db.commit()
        finally:
            db.close()
    else:
        subprocess.run(["psql", db_url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c",
                        "; ".join(CLEANUP)], check=True, stdout=subprocess.DEVNULL)


def main():
    # run.sh stops a helper with SIGTERM; exiting through Python runs the `finally` that
    # stops a server started by `coldstart`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "seed":
        seed(args[0], int(args[1]), int(args[2]))
    elif cmd == "fetch":
        fetch(*args)
    elif cmd == "coldstart":
        coldstart(args[0], args[1], int(args[2]))
    elif cmd == "cleanup":
        cleanup(args[0])
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
