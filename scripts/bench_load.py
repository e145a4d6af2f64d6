"""P7 of `make bench`: N users in a closed loop against gunicorn (2 workers), logged in, mixed pages.

Each user is a thread with its own keep-alive connection and session cookie; it asks for the next
page as soon as the last one has arrived (no think time). Only the standard library: http.client."""

from __future__ import annotations

import http.client
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse

MIX = [("home", 2), ("board", 2), ("list", 3), ("detail", 3), ("search", 2), ("roster", 1), ("hotline", 1)]
WORDS = ["漏水", "电动车", "楼道堆物", "噪音", "3号楼", "消防通道", "遛狗"]


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p95_ms: float
    first_error: str

    @property
    def req_per_s(self) -> float:
        return self.requests / self.seconds


def start_gunicorn(port: int) -> subprocess.Popen:
    bin_dir = os.path.dirname(sys.executable)
    process = subprocess.Popen(
        [
            os.path.join(bin_dir, "gunicorn"),
            "fuhai.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DEBUG": "false"},
    )
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", reverse("login"))
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def urls_for(detail_ids: list[int]) -> dict[str, object]:
    return {
        "home": lambda rng: reverse("home"),
        "board": lambda rng: reverse("board"),
        "list": lambda rng: reverse("issues:issue_list") + f"?page={rng.randint(1, 3)}",
        "detail": lambda rng: reverse("issues:issue_detail", args=[rng.choice(detail_ids)]),
        "search": lambda rng: reverse("issues:issue_list") + "?q=" + rng.choice(WORDS),
        "roster": lambda rng: reverse("residents:specialstatus_list"),
        "hotline": lambda rng: reverse("issues:hotline_list"),
    }


def run_load(users: list[tuple[object, list[int]]], *, seconds: float, port: int = 18765) -> LoadResult:
    from urllib.parse import quote

    cookies = []
    for user, _ids in users:
        client = Client()
        client.force_login(user)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    process = start_gunicorn(port)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = [float("inf")]  # set when every user is ready
    start = threading.Barrier(len(users) + 1)

    def user_loop(n: int) -> None:
        rng = random.Random(n)
        urls = urls_for(users[n][1])
        names = [name for name, weight in MIX for _ in range(weight)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], []
        for path in ("home", "list", "detail"):  # warm: each worker loads templates on its first requests
            try:
                conn.request("GET", quote(urls[path](rng), safe="/?=&"), headers={"Cookie": cookies[n]})
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while time.monotonic() < stop_at[0]:
            path = quote(urls[rng.choice(names)](rng), safe="/?=&")
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookies[n]})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(f"{path} {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                bad.append(f"{path} {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=user_loop, args=(n,)) for n in range(len(users))]
    try:
        for thread in threads:
            thread.start()
        start.wait()
        began = time.monotonic()
        stop_at[0] = began + seconds
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        process.terminate()
        process.wait(timeout=30)
    latencies.sort()
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)] if latencies else 0.0
    return LoadResult(len(latencies), len(errors), elapsed, p95, errors[0] if errors else "")
