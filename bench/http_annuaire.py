"""End-to-end throughput of `/annuaire` through `POST /mattermost/commands`, against a bare endpoint.

Both servers are the same web framework (aiohttp) in their own process, pinned to one core; `wrk`
(Debian package) loads them from a second process pinned to the other core. The bot side is the
real one: token check, registry, directory search on the real files (~4,200 places), rendering.
The baseline answers a constant JSON. The figure that matters is the ratio measured in the same run.

    .venv/bin/python bench/http_annuaire.py [--duration 10] [--connections 8] [--rate 500]

Two phases per server: (1) wrk, closed loop, as fast as it goes: throughput and the ratio to the bare
endpoint; (2) an open-loop load at a fixed offered rate (default 500 req/s) from a second process,
latency counted from each request's scheduled send time, so a stall is not hidden by the client waiting
(no coordinated omission): this is the "sustains 500 req/s with p99 < 30 ms" figure.

Needs `wrk` (apt-get install wrk) and the real data in ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
REAL_FILES = [
    DATA / "france-services_liste-fs-20240801.csv",
    DATA / "lieux-mediation-numerique_paca-hub-du-sud_20230517.json",
    DATA / "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json",
]
TOKEN = "benchtoken0123456789abcdef"
TEAM_ID = "benchteam000000000000000aa"
OUT = REPO / "bench" / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- servers (run in child processes) -------------------------------------------------------------
def serve_bot(port: int, database_url: str) -> None:
    from aiohttp import web

    from bot.app import build_app
    from bot.config import load_settings
    from bot.db import Database
    from bot.mattermost.client import MattermostClient
    from bot.mattermost.http import create_web_app
    from bot.mattermost.tokens import TokenStore

    env = {
        "RELAIS_DATABASE_URL": database_url, "MATTERMOST_URL": "http://127.0.0.1:9",  # never contacted here
        "MATTERMOST_TOKEN": "x", "MATTERMOST_TEAM": "bench", "RELAIS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "RELAIS_SECRET": "s" * 40, "RELAIS_LISTEN": f"127.0.0.1:{port}",
    }
    settings = load_settings(env=env, dotenv=False)
    db = Database(settings.database_url)
    tokens = TokenStore(db, key=settings.secret)
    tokens.load()
    client = MattermostClient(settings)
    web.run_app(create_web_app(build_app(settings, db, client), client, tokens),
                host="127.0.0.1", port=port, access_log=None, print=None)


def serve_bare(port: int) -> None:
    from aiohttp import web

    body = json.dumps({"response_type": "ephemeral", "text": "ok"}).encode()

    async def handler(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_post("/mattermost/commands", handler)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


# -- load ----------------------------------------------------------------------------------------
def queries() -> list[str]:
    """Realistic texts: the quality bench's query set (names typed in a hurry, need + commune)."""
    sys.path.insert(0, str(REPO / "bench"))
    from annuaire_queries import name_queries, need_queries, real_places  # type: ignore[import-not-found]

    places = real_places()
    texts = [q.text for q in name_queries(places, 200)] + [q.text for q in need_queries(places, 100)]
    random.Random(7).shuffle(texts)
    return texts[:300]


def form_body(text: str) -> str:
    return urllib.parse.urlencode({
        "token": TOKEN, "team_id": TEAM_ID, "team_domain": "bench", "channel_id": "benchchannel00000000000000",
        "channel_name": "town-square", "user_id": "benchuser00000000000000000", "user_name": "alice",
        "command": "/annuaire", "text": text, "trigger_id": "t", "response_url": "http://127.0.0.1:9/hooks/commands/x",
    })


def wrk_script(bodies: list[str], path: Path) -> None:
    lua_bodies = ",\n".join(json.dumps(b) for b in bodies)
    path.write_text(
        "local bodies = {\n" + lua_bodies + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = (i % #bodies) + 1\n"
        "  return wrk.format('POST', '/mattermost/commands', "
        "{['Content-Type']='application/x-www-form-urlencoded', ['Accept']='application/json', "
        "['Authorization']='Token " + TOKEN + "'}, bodies[i])\n"
        "end\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('JSON {\"requests\":%d,\"errors\":%d,\"non2xx\":%d,\"duration_us\":%d,"
        "\"p50_us\":%d,\"p99_us\":%d,\"mean_us\":%f}\\n', summary.requests, summary.errors.connect + "
        "summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status, "
        "summary.duration, latency:percentile(50), latency:percentile(99), latency.mean))\n"
        "end\n"
    )


def paced_load(port: int, bodies: list[str], rate: int, duration: int) -> dict[str, float]:
    """Open-loop load: request i is sent at start + i/rate whatever happened before (run in its own process)."""
    import asyncio

    import aiohttp

    async def run() -> dict[str, float]:
        url = f"http://127.0.0.1:{port}/mattermost/commands"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Token {TOKEN}"}
        latencies: list[float] = []
        failures = 0
        connector = aiohttp.TCPConnector(limit=256)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(i: int, scheduled: float) -> None:
                nonlocal failures
                try:
                    async with session.post(url, data=bodies[i % len(bodies)], headers=headers) as resp:
                        await resp.read()
                        if resp.status != 200:
                            failures += 1
                except aiohttp.ClientError:
                    failures += 1
                latencies.append(time.perf_counter() - scheduled)

            total = rate * duration
            tasks = []
            start = time.perf_counter()
            for i in range(total):
                scheduled = start + i / rate
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(i, scheduled)))
            await asyncio.gather(*tasks)
            elapsed = time.perf_counter() - start
        latencies.sort()
        return {
            "offered_rps": rate, "achieved_rps": len(latencies) / elapsed, "requests": len(latencies),
            "failures": failures, "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000, "max_ms": latencies[-1] * 1000,
        }

    return asyncio.run(run())


def wait_ready(port: int, body: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/mattermost/commands", data=body.encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            with urllib.request.urlopen(req, timeout=30) as resp:  # first call also builds the index
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not answer")


def run_wrk(port: int, script: Path, duration: int, connections: int, cpu: str) -> dict[str, float]:
    cmd = ["taskset", "-c", cpu, "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", str(script),
           f"http://127.0.0.1:{port}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^JSON (.*)$", out, re.M)
    if not match:
        raise SystemExit("wrk printed no summary:\n" + out)
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"], "errors": data["errors"], "non2xx": data["non2xx"],
        "rps": data["requests"] / seconds, "p50_ms": data["p50_us"] / 1000, "p99_ms": data["p99_us"] / 1000,
        "mean_ms": data["mean_us"] / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=int, default=500, help="offered load of the open-loop phase (req/s)")
    parser.add_argument("--paced", nargs=3, metavar=("PORT", "BODIES", "SECONDS"), help=argparse.SUPPRESS)
    parser.add_argument("--serve-bot", nargs=2, metavar=("PORT", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--serve-bare", metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot:
        return serve_bot(int(args.serve_bot[0]), args.serve_bot[1])
    if args.serve_bare:
        return serve_bare(int(args.serve_bare))
    if args.paced:
        bodies = json.loads(Path(args.paced[1]).read_text())
        print(json.dumps(paced_load(int(args.paced[0]), bodies, args.rate, int(args.paced[2]))))
        return None
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    from bot.db import Database
    from bot.db.migrate import upgrade
    from bot.directory import import_files
    from bot.mattermost.tokens import save_token

    tmp = Path(tempfile.mkdtemp(prefix="relais-bench-"))
    database_url = f"sqlite:///{tmp / 'relais.db'}"
    db = Database(database_url)
    upgrade(db)
    reports = import_files(db, REAL_FILES)
    places = sum(r.added for r in reports)
    save_token(db, "annuaire", TEAM_ID, "benchcommand", TOKEN, key="s" * 40)  # RELAIS_SECRET of serve_relais
    db.dispose()

    texts = queries()
    script = tmp / "load.lua"
    wrk_script([form_body(t) for t in texts], script)

    bodies_file = tmp / "bodies.json"
    bodies_file.write_text(json.dumps([form_body(t) for t in texts]))
    results: dict[str, dict[str, float]] = {}
    paced: dict[str, dict[str, float]] = {}
    me = [sys.executable, str(Path(__file__).resolve())]
    for name, extra in (("bare aiohttp constant JSON", ["--serve-bare"]), ("/annuaire (real bot)", ["--serve-bot"])):
        port = free_port()
        argv = me + extra + ([str(port), database_url] if name.startswith("/") else [str(port)])
        proc = subprocess.Popen(["taskset", "-c", "0", *argv], cwd=REPO, env=dict(os.environ))
        try:
            wait_ready(port, form_body(texts[0]))
            run_wrk(port, script, 2, args.connections, "1")  # warm-up
            results[name] = run_wrk(port, script, args.duration, args.connections, "1")
            out = subprocess.run(["taskset", "-c", "1", *me, "--rate", str(args.rate), "--paced", str(port),
                                  str(bodies_file), str(args.duration)], capture_output=True, text=True, check=True)
            paced[name] = json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    bare, bot = results["bare aiohttp constant JSON"], results["/annuaire (real bot)"]
    print(f"\n/annuaire over HTTP — {places} real places, {len(texts)} distinct queries, "
          f"wrk -t1 -c{args.connections} -d{args.duration}s, server on core 0, wrk on core 1")
    print(f"{'endpoint':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'non-2xx':>8}")
    for name, r in results.items():
        print(f"{name:32} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['errors']:7.0f} {r['non2xx']:8.0f}")
    ratio = bot["rps"] / bare["rps"]
    print(f"throughput ratio /annuaire ÷ bare = {ratio:.2f}  (bare is {bare['rps'] / bot['rps']:.1f}× faster)")
    print(f"\nopen loop at {args.rate} req/s offered for {args.duration}s (latency from the scheduled send time)")
    print(f"{'endpoint':32} {'achieved':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'failures':>9}")
    for name, r in paced.items():
        print(f"{name:32} {r['achieved_rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['max_ms']:8.1f} "
              f"{r['failures']:9.0f}")
    p = paced["/annuaire (real bot)"]
    ok = p["achieved_rps"] >= 0.98 * args.rate and p["p99_ms"] < 30 and p["failures"] == 0 and bot["errors"] == 0
    print(f"target: sustains {args.rate} req/s with p99 < 30 ms and no failure: {'MET' if ok else 'NOT MET'}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "http_annuaire.json").write_text(json.dumps(
        {"places": places, "queries": len(texts), "closed_loop": results, "open_loop": paced, "ratio": ratio,
         "met": ok}, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
