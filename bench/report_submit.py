#!/usr/bin/env python3
"""POST /report timed as a resident's submission, for bench/public.sh.

usage: report_submit.py FORM_URL VILLAGES_FILE SECONDS CONNECTIONS RUN_ID
(FORM_URL: the form's address, e.g. http://127.0.0.1:5091/report?town=T01; the villages are that town's)

Each connection is one resident's browser: it fetches the form (GET /report: the antiforgery cookie
and token, the form's Idempotency-Key and a proof-of-work challenge; not timed), answers the challenge
(the server runs with Residents:ProofOfWorkBits=0, so any counter solves it and the client's search
costs nothing), and posts the form (multipart, as the page sends it). Only the POST is timed, to the
last byte of the answer; the answer must show a tracking code. Prints one JSON line in the shape of
bench/wrk/common.lua's.
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid

base, villages_file, seconds, connections, run = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
url = urllib.parse.urlparse(base)
form_path = url.path + ("?" + url.query if url.query else "")
villages = [v.strip() for v in open(villages_file, encoding="utf-8") if v.strip()]
matters = [
    "村道路灯损坏，夜间出行不便，已经一个多月了，希望尽快维修。",
    "入户自来水管冻裂漏水，家中已停水两天，希望尽快派人维修。",
    "有人在村边河道内倾倒建筑垃圾，雨季容易堵塞河道，希望尽快清理。",
    "家中老人需要照顾无法外出务工，希望申请村上的公益性岗位。",
]
TOKEN = re.compile(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"|<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"')
HIDDEN = {name: re.compile(r'name="%s" value="([^"]*)"' % name) for name in ("key", "challenge")}
CODE = re.compile(r'id="tracking-code">([0-9A-Z]{4}-[0-9A-Z]{4})<')

latencies, lock = [], threading.Lock()
counts = {"ok": 0, "other": 0, "errors": 0, "sample": ""}
deadline = time.monotonic() + seconds


def field(pattern, body):
    m = pattern.search(body)
    if not m:
        raise ValueError("form field missing")
    return next(g for g in m.groups() if g is not None) if m.groups() else m.group(0)


def multipart(fields):
    boundary = "----bench" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode("utf-8"), "multipart/form-data; boundary=" + boundary


def worker(tid):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    cookies = {}
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
            conn.request("GET", form_path, headers=headers)
            r = conn.getresponse()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    cookies[name] = rest.split(";", 1)[0]
            page = r.read().decode("utf-8")
            body, ctype = multipart([
                ("__RequestVerificationToken", field(TOKEN, page)),
                ("key", field(HIDDEN["key"], page)),
                ("challenge", field(HIDDEN["challenge"], page)),
                ("solution", "0"),
                ("website", ""),
                ("orgUnit", villages[(tid * 131 + n) % len(villages)]),
                ("category", ""),
                ("description", f"{matters[n % len(matters)]}（{run}-{tid}-{n}）"),
                ("address", ""),
                ("name", ""),
                ("phone", ""),
                ("anonymous", "true"),
                ("consent", "true"),
            ])
            headers = {"Content-Type": ctype, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            started = time.perf_counter()
            conn.request("POST", "/report", body=body, headers=headers)
            r = conn.getresponse()
            answer = r.read().decode("utf-8", "replace")
            elapsed = time.perf_counter() - started
            with lock:
                if r.status == 200 and CODE.search(answer):
                    counts["ok"] += 1
                    latencies.append(elapsed)
                else:
                    counts["other"] += 1
                    if not counts["sample"]:
                        counts["sample"] = f"{r.status} " + re.sub(r"\s+", " ", answer)[:160]
        except Exception as e:  # a broken connection: count it and open a new one
            with lock:
                counts["errors"] += 1
                if not counts["sample"]:
                    counts["sample"] = repr(e)[:160]
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)


started_all = time.monotonic()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
for t in threads:
    t.start()
for t in threads:
    t.join()
duration = time.monotonic() - started_all
latencies.sort()


def pct(p):
    if not latencies:
        return 0
    return int(latencies[min(len(latencies) - 1, int(round(p / 100 * len(latencies))) - 1 if p < 100 else len(latencies) - 1)] * 1e6)


print(json.dumps({
    "requests": counts["ok"] + counts["other"], "duration_us": int(duration * 1e6), "ok": counts["ok"],
    "other_status": counts["other"], "socket_errors": counts["errors"], "timeouts": 0,
    "lat_us": {"p50": pct(50), "p90": pct(90), "p95": pct(95), "p99": pct(99), "max": pct(100),
               "mean": (sum(latencies) / len(latencies) * 1e6) if latencies else 0},
    "sample_other": re.sub(r'[\x00-\x1f"\\]', " ", counts["sample"]),
}))
