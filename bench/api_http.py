"""The API benchmark's HTTP load (bench/bench_api.py): gunicorn with 2 sync workers, loaded by
wrk (or a Python keep-alive loop if wrk is missing) from 20,000 client addresses; requests/s and
the workers' CPU time per request."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS_SCRIPT = ROOT / "bench" / "api_clients.lua"


def _wrk(url: str, seconds: int) -> tuple[float, int]:
    """(requests/s, requests) from wrk, each request from one of 20,000 addresses."""
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", str(CLIENTS_SCRIPT), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = count = None
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            rate = float(line.split()[1])
        if " requests in " in line:
            count = int(line.split()[0])
    if rate is None or count is None:
        raise RuntimeError(out)
    return rate, count


def _python_load(url: str, seconds: int) -> tuple[float, int]:
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    count = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        path = parts.path + ("?" + parts.query if parts.query else "")
        n = 0
        while time.monotonic() < stop:
            m = (n * 7919 + threading.get_ident()) % 20_000
            conn.request("GET", path, headers={"X-Forwarded-For": f"10.{m % 100}.{m // 100}.7"})
            conn.getresponse().read()
            n += 1
        with lock:
            count[0] += n

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / seconds, count[0]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of gunicorn's worker processes so far."""
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
    total = 0
    for pid in out.stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measure_http(seconds: int, *, cached: bool) -> dict[str, dict | str]:
    """Each endpoint under load; with ``cached=False`` no answer is ever stored (every request
    looks in the cache, misses and is built from the database, as after each publication)."""
    port = _free_port()  # other benchmarks share this machine: never assume a port is ours
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not cached:
        env["CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT"] = "0"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "claimtracker.wsgi:application",
         "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        import urllib.request

        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited; see its output above")
            try:
                urllib.request.urlopen(base + "/bench/trivial/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer")
        tool = "wrk" if shutil.which("wrk") else "python keep-alive loop (4 threads)"
        load = _wrk if shutil.which("wrk") else _python_load
        urls = {
            "trivial": base + "/bench/trivial/",
            "list": base + "/api/v1/verdicts/?page_size=50",
            "list_filtered": base + "/api/v1/verdicts/?page_size=50&language=en&rating=Richtig",
            "detail": base + "/api/v1/verdicts/",
        }
        import json

        first_id = json.loads(urllib.request.urlopen(urls["list"]).read())["results"][0]["id"]
        urls["detail"] = f"{base}/api/v1/verdicts/{first_id}/"
        results: dict[str, dict | str] = {"tool": tool}
        for name, url in urls.items():
            load(url, 2)  # warm up (and fill the cache)
            cpu_before = _worker_cpu_seconds(server.pid)
            rate, count = load(url, seconds)
            cpu = _worker_cpu_seconds(server.pid) - cpu_before
            results[name] = {
                "rate": rate,
                "cpu_ms": cpu / max(count, 1) * 1000,
                "load": os.getloadavg()[0],
            }
            print("cached" if cached else "uncached", name, results[name], flush=True)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
