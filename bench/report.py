#!/usr/bin/env python3
"""Turns one run's raw results (bench/run.sh) into a table on stdout, bench/results/latest.json and the
generated part of docs/BENCHMARKS.md (between the markers; hand-written text around them is kept).

usage: report.py RESULTS_DIR BENCHMARKS.md latest.json "command line"
"""
import json
import os
import re
import sys

res, md_path, json_path, command = sys.argv[1:5]
START, END = "<!-- generated:start -->", "<!-- generated:end -->"


def load_json(name, default=None):
    p = os.path.join(res, name)
    return json.load(open(p)) if os.path.exists(p) else default


def load_lines(name):
    p = os.path.join(res, name)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []


def text(name, default=""):
    p = os.path.join(res, name)
    return open(p).read().strip() if os.path.exists(p) else default


machine = load_json("machine.json", {})
pg = load_json("postgres.json")
runs = {p: load_lines(f"{p}.jsonl") for p in ("sqlite", "postgres", "bare")}
rt = {b: load_json(f"rt-{b}.json") for b in ("sqlite", "pg")}

ms = lambda us: us / 1000.0
fmt = lambda v: "–" if v is None else (f"{v:.2f}" if v < 1 else f"{v:,.1f}" if v < 100 else f"{v:,.0f}")


def rate(r):
    return r["ok"] / (r["duration_us"] / 1e6) if r and r["duration_us"] else 0.0


def find(provider, name, kind, c=None):
    for r in runs.get(provider, []):
        if r.get("name") == name and r.get("kind") == kind and (c is None or r.get("connections") == c):
            return r
    return None


# Scenario -> (target kind, p95 target in ms, description)
QUERIES = [
    ("list-village-status", "town", 30, "ledger list: village + status"),
    ("list-overdue", "town", 30, "ledger list: overdue (sorted by due date; town and per village)"),
    ("list-urgency-category", "town", 30, "ledger list: urgency + category"),
    ("list-search", "town", 30, "ledger list: text search `q=`"),
    ("case-detail", "town", 20, "case detail `GET /api/v1/cases/{id}`"),
    ("board", "town", 100, "board page `GET /board`"),
    ("list-month", "town", 30, "ledger list: a month's from/to, 100 rows"),
    ("report-month", "town", 200, "monthly report `GET /api/v1/reports/monthly?month=` (rates by village)"),
    ("topics", "town", 30, "topic ledger `GET /api/v1/topics` (village, stage, overdue step, sorts) and concentrated-handling candidates"),
    ("report-consultation", "town", 100, "consultation figures `GET /api/v1/reports/consultation?month=` (and the year)"),
    ("report-data", "town", 200, "report `GET /api/v1/reports` (month, quarter, year, a village: figures, trend, rankings, lists)"),
    ("report-cases", "town", 200, "the cases behind a figure `GET /api/v1/reports/cases?figure=` (as of the month's end)"),
    ("list-search-1", "town", 30, "ledger list: text search, one character (水, 路 …)"),
    ("list-search-2", "town", 30, "ledger list: text search, two characters (路灯, 低保 …)"),
    ("list-search-4", "town", 30, "ledger list: text search, four characters (安全隐患 …)"),
    ("my-tasks", "town", 50, "my tasks `GET /api/v1/tasks` (counts and lists)"),
    # County scope: issue 17's targets (search ≤ 50 ms, every ledger filter, the board and my tasks ≤ 50 ms p95).
    ("list-village-status", "county", 50, "ledger list: village + status"),
    ("list-overdue", "county", 50, "ledger list: overdue (sorted by due date; county and per village)"),
    ("list-urgency-category", "county", 50, "ledger list: urgency + category"),
    ("list-month", "county", 50, "ledger list: a month's from/to, 100 rows"),
    ("list-search", "county", 50, "ledger list: text search `q=`"),
    ("list-search-1", "county", 50, "ledger list: text search, one character"),
    ("list-search-2", "county", 50, "ledger list: text search, two characters"),
    ("list-search-4", "county", 50, "ledger list: text search, four characters"),
    ("board", "county", 50, "board page `GET /board`"),
    ("my-tasks", "county", 50, "my tasks `GET /api/v1/tasks` (a county leader)"),
    ("report-month", "county", None, "monthly report (all 40 towns' villages)"),
    ("report-consultation", "county", None, "consultation figures (all 40 towns)"),
    ("report-data", "county", 200, "report `GET /api/v1/reports` (all 40 towns)"),
]

# Every other ledger filter at county scope, one row each (the list run.sh ran, from paths.py).
_filters = os.path.join(res, "filters.txt")
for _f in (open(_filters).read().split() if os.path.exists(_filters) else []):
    QUERIES.append((f"list-filter-{_f}", "county", 50, f"ledger list filter: {_f}"))

summary = {"machine": machine, "postgres": pg, "command": command, "queries": [], "intake": [], "startup": {}, "rt": {},
           "targets": []}
out = []
w = out.append

w(f"Measured {machine.get('started_at', '?')} – {text('finished_at', '?').strip(chr(34))} "
  f"({int(text('wall_s', '0')) // 60} min wall), command `{command}` at commit `{machine.get('git', '?')}`.")
w(f"Load average at start {machine.get('loadavg_at_start', '?')}, at end {text('loadavg_at_end', '?')} "
  "(other work on the machine shows up here).")
w("")
w("| machine | |")
w("| --- | --- |")
w(f"| CPU | {machine.get('nproc')} × {machine.get('cpu')} |")
w(f"| RAM | {machine.get('ram_gib')} GiB |")
w(f"| OS / kernel | {machine.get('os')} / {machine.get('kernel')} |")
w(f"| .NET SDK | {machine.get('dotnet')} |")
w(f"| load generator | {machine.get('wrk')} (on the same 2 cores as the server) |")
if pg:
    w(f"| PostgreSQL | {pg['version']}, fsync={pg['fsync']}, synchronous_commit={pg['synchronous_commit']}"
      f"{', private cluster started by run.sh (shared_buffers=512MB)' if pg.get('own_cluster') else ''} |")
w("")

# --- data set
w("### Data set")
w("")
for provider, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
    log = text(f"gen-{provider}.log")
    m = re.search(r"done: ([\d,]+) cases, ([\d,]+) events, ([\d,]+) reporters", log)
    size = text(f"{provider}-size-mib")
    if m:
        mix = re.search(r"status mix: (.*)", log)
        w(f"- {label}: {m.group(1)} cases, {m.group(2)} events, {m.group(3)} reporters; generated in "
          f"{text(f'gen-{provider}.time', '?')} s{f'; {int(size):,} MiB on disk' if size else ''}.")
        if mix and provider == "sqlite":
            w(f"  States: {mix.group(1)}.")
w("- 1 county (北境县), 40 towns, 1,000 villages/communities (25 per town), 4 partner units per town, 3 county bureaus; "
  "all 10 channels and 14 categories, drawn with the demo's weights; every state; texts from the demo's case templates (Chinese).")
w("")

# --- start-up and memory
w("### Start-up and memory")
w("")
w("| | SQLite | PostgreSQL | target |")
w("| --- | --- | --- | --- |")
def starts(p, variant):
    return [r for r in runs.get(p, []) if r.get("kind") == "startup" and r.get("variant", "plain") == variant]


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else None


for variant, label in (("r2r", "released build (Release, ReadyToRun)"), ("plain", "same without ReadyToRun (JIT at start)")):
    cells = []
    for p in ("sqlite", "postgres"):
        ss = starts(p, variant)
        m = median([r["startup_ms"] for r in ss])
        cells.append(f"**{m:,} ms** (runs: {', '.join(str(r['startup_ms']) for r in ss)})" if ss else "–")
        if ss:
            summary["startup"][f"{p}-{variant}"] = {"median_ms": m, "runs": [r["startup_ms"] for r in ss],
                                                    "rss_mib": [r["rss_mib"] for r in ss]}
            # The targets are for SQLite; PostgreSQL is reported beside it without one.
            if variant == "r2r" and p == "sqlite":
                summary["targets"].append({"what": f"start-up, median of {len(ss)} ({p}, {label})", "value": m, "target": 2000, "unit": "ms"})
    w(f"| process start → first successful request (`GET /health`), {label}, median | {cells[0]} | {cells[1]} | {'≤ 2,000 ms (SQLite)' if variant == 'r2r' else '(comparison)'} |")
warm = {p: next((r["seconds"] for r in runs.get(p, []) if r.get("kind") == "warmup"), None) for p in ("sqlite", "postgres")}
if any(v is not None for v in warm.values()):
    cells = ["–" if warm[p] is None else f"{warm[p]:,} s" for p in ("sqlite", "postgres")]
    w("| closed-period warm-up after the measured start (every town's closed months, quarters and last year, in the background; "
      f"stored, so once per database) | {cells[0]} | {cells[1]} | |")
    summary["warmup_s"] = warm
rss_start = {p: median([r["rss_mib"] for r in starts(p, "r2r")]) for p in ("sqlite", "postgres")}
w(f"| RSS right after start-up | {rss_start['sqlite'] or '–'} MiB | {rss_start['postgres'] or '–'} MiB | |")
peaks = {p: max([r.get("peak_rss_mib", 0) for r in runs[p]] or [0]) for p in ("sqlite", "postgres")}
w(f"| peak RSS (VmHWM) over all scenarios | {peaks['sqlite']} MiB | {peaks['postgres']} MiB | ≤ 400 MB (381 MiB, SQLite) |")
if peaks["sqlite"]:
    summary["targets"].append({"what": "peak RSS (sqlite)", "value": peaks["sqlite"], "target": 381, "unit": "MiB (400 MB)"})
w("")

# --- queries
w("### Query latency (one client, sequential requests over HTTP, keep-alive)")
w("")
w("Town scope: a TownStaff user of town T01 (~1/40 of the cases). County scope: the administrator's county post (all cases).")
w("")
w("| scenario | scope | SQLite p50 / p95 / p99 ms | target p95 | met? | PostgreSQL p50 / p95 / p99 ms | req/s SQLite / PG | peak RSS MiB SQLite / PG |")
w("| --- | --- | --- | --- | --- | --- | --- | --- |")
for name, kind, target, desc in QUERIES:
    s, p = find("sqlite", name, kind), find("postgres", name, kind)
    if not s and not p:
        continue

    def lat(r):
        if not r:
            return "–"
        bad = f" ⚠ {r['other_status']} non-200" if r["other_status"] else ""
        return f"{fmt(ms(r['lat_us']['p50']))} / {fmt(ms(r['lat_us']['p95']))} / {fmt(ms(r['lat_us']['p99']))}{bad}"

    # Issue 17's targets (county scope, text search) hold on both providers; the older ones on SQLite.
    both = kind == "county" or name.startswith("list-search")
    verdicts = []
    for label, r in (("SQLite", s), ("PostgreSQL", p)):
        if not target or not r or (label == "PostgreSQL" and not both):
            continue
        v = ms(r["lat_us"]["p95"])
        verdict = "yes" if v <= target and not r["other_status"] else f"**no** (+{v - target:,.0f} ms)"
        verdicts.append(verdict if label == "SQLite" else f"PG {verdict}")
        summary["targets"].append({"what": f"{name} p95 ({label.lower()}, {kind})", "value": round(v, 1), "target": target, "unit": "ms"})
    met = " · ".join(verdicts) or "–"
    w(f"| {desc} | {kind} | {lat(s)} | {f'≤ {target}' if target else '–'} | {met} | {lat(p)} | "
      f"{rate(s):,.0f} / {rate(p):,.0f} | {s['peak_rss_mib'] if s else '–'} / {p['peak_rss_mib'] if p else '–'} |")
    summary["queries"].append({"name": name, "scope": kind, "sqlite": s, "postgres": p, "target_p95_ms": target})
w("")

# --- intake
w("### Intake: `POST /api/v1/cases`, acknowledged only when durable")
w("")
w("Each request registers a new case (unique title and Idempotency-Key, Bearer token of an API client at county level). "
  "Throughput counts 201 answers only. The limit is bench/BareEndpoint: the same request parsed by the same minimal-API "
  "stack and answered 201, nothing checked or stored.")
w("")
w("| connections | SQLite cases/s | p50 / p99 ms | % of limit | PostgreSQL cases/s | p50 / p99 ms | % of limit | limit (bare) req/s | p50 / p99 ms | peak RSS MiB SQLite / PG |")
w("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
concs = sorted({r["connections"] for r in runs["bare"] + runs["sqlite"] if r.get("kind") in ("sqlite", "bare")})
for c in concs:
    s, p, b = find("sqlite", "intake", "sqlite", c), find("postgres", "intake", "postgres", c), find("bare", "intake", "bare", c)
    lim = rate(b)
    cell = lambda r: f"{rate(r):,.0f}" + (f" ⚠ {r['other_status']} not 201" if r and r["other_status"] else "") if r else "–"
    lp = lambda r: f"{fmt(ms(r['lat_us']['p50']))} / {fmt(ms(r['lat_us']['p99']))}" if r else "–"
    pct = lambda r: f"{100 * rate(r) / lim:.1f} %" if r and lim else "–"
    w(f"| {c} | {cell(s)} | {lp(s)} | {pct(s)} | {cell(p)} | {lp(p)} | {pct(p)} | {lim:,.0f} | {lp(b)} | "
      f"{s['peak_rss_mib'] if s else '–'} / {p['peak_rss_mib'] if p else '–'} |")
    summary["intake"].append({"connections": c, "sqlite": s, "postgres": p, "bare": b})
    if c == 128 and s and lim and not find("sqlite", "intake-async", "sqlite", 128):
        summary["targets"].append({"what": "SQLite intake, share of the bare endpoint (128 connections)", "value": round(100 * rate(s) / lim, 1),
                                   "target": 15, "unit": "%", "at_least": True})
    if c == 128 and s and p:
        summary["targets"].append({"what": "PostgreSQL intake at 128 connections, against SQLite's in the same run", "value": round(rate(p)),
                                   "target": round(rate(s)), "unit": "cases/s", "at_least": True})
asyncs = [(c, find("sqlite", "intake-async", "sqlite", c)) for c in concs]
if any(r for _, r in asyncs):
    w("")
    w("SQLite with `Prefer: respond-async`: answered 202 once the registration is durable in the intake journal (one append and "
      "one fsync per batch), the ledger's tables written behind it in the journal's order. \"Caught up\" is how long after the run "
      "a registration without the preference waited for its answer (it is applied after everything before it); \"entered\" "
      "counts the run's cases over the run and that wait.")
    w("")
    w("| connections | acknowledged cases/s | p50 / p99 ms | % of limit | ledger caught up after | entered cases/s | peak RSS MiB |")
    w("| --- | --- | --- | --- | --- | --- | --- |")
    for c, r in asyncs:
        if not r:
            continue
        b = find("bare", "intake", "bare", c)
        lim = rate(b)
        drain = next((x for x in runs["sqlite"] if x.get("name") == "intake-async-drain" and x.get("connections") == c), None)
        drain_s = drain["drain_ms"] / 1000 if drain else None
        entered = r["ok"] / (r["duration_us"] / 1e6 + drain_s) if drain_s is not None else None
        bad = f" ⚠ {r['other_status']} not 202" if r["other_status"] else ""
        w(f"| {c} | {rate(r):,.0f}{bad} | {fmt(ms(r['lat_us']['p50']))} / {fmt(ms(r['lat_us']['p99']))} | "
          f"{(f'{100 * rate(r) / lim:.1f} %') if lim else '–'} | {(f'{drain_s:.1f} s') if drain_s is not None else '–'} | "
          f"{(f'{entered:,.0f}') if entered is not None else '–'} | {r['peak_rss_mib']} |")
        summary.setdefault("intake_journal", []).append({"connections": c, "acknowledged": r, "drain_ms": drain["drain_ms"] if drain else None,
                                                          "entered_per_s": entered})
        if c == 128 and lim:
            summary["targets"].append({"what": "SQLite intake acknowledged from the journal (Prefer: respond-async), share of the bare endpoint (128 connections)",
                                       "value": round(100 * rate(r) / lim, 1), "target": 15, "unit": "%", "at_least": True})
two = find("postgres", "intake-2nodes", "postgres", 128)
if two:
    w("")
    per = " + ".join(f"{n / (two['duration_us'] / 1e6):,.0f}" for n in two.get("nodes", []))
    w(f"Two nodes on one PostgreSQL database, 2 × 64 connections at the same time (same 2 cores): **{rate(two):,.0f} cases/s** "
      f"({per} per node), p99 ≤ {fmt(ms(two['lat_us']['p99']))} ms"
      + (f", ⚠ {two['other_status']} not 201" if two["other_status"] else "") + ".")
    summary["intake_two_nodes"] = two
w("")

# --- group commit batch limit
sweep = sorted({int(r["name"].rsplit("-", 1)[1]) for p in ("sqlite", "postgres") for r in runs[p]
                if r.get("name", "").startswith("intake-maxbatch-")})
if len(sweep) > 1:
    w("### Intake: the group commit's batch limit (`Intake:MaxBatch`), 128 connections")
    w("")
    w("Each value on a freshly started server with `DOTNET_TieredCompilation=0` (a fresh server under full load otherwise runs "
      "unoptimised code for a long time, see below), warmed up 3 s at 2 connections; 256 is the default. 1 means no "
      "group commit: one transaction, and one fsync, per registration.")
    w("")
    w("| MaxBatch | SQLite cases/s | p50 / p99 ms | PostgreSQL cases/s | p50 / p99 ms |")
    w("| --- | --- | --- | --- | --- |")
    for mb in sweep:
        name = f"intake-maxbatch-{mb}"
        s_, p_ = find("sqlite", name, "sqlite", 128), find("postgres", name, "postgres", 128)
        lp = lambda r: f"{fmt(ms(r['lat_us']['p50']))} / {fmt(ms(r['lat_us']['p99']))}" if r else "–"
        bad = lambda r: f" ⚠ {r['other_status']} not 201" if r and r["other_status"] else ""
        w(f"| {mb}{' (default)' if mb == 256 else ''} | {rate(s_):,.0f}{bad(s_)} | {lp(s_)} | {rate(p_):,.0f}{bad(p_)} | {lp(p_)} |")
        summary.setdefault("maxbatch", []).append({"max_batch": mb, "sqlite": s_, "postgres": p_})
    w("")

# --- peer
if any(rt.values()):
    w("### Peer: Request Tracker 5 on the same machine, same run (`../shared/peers/rt`)")
    w("")
    w("RT's own load generator (`bench.sh N C --phases create1,createC,search`): new TCP connection per request, "
      "session cookie, a fresh RT database per backend. Taizhang ÷ RT compares Taizhang's figure on the same backend.")
    w("")
    w("| | RT rate | RT p50 / p95 ms | Taizhang | Taizhang ÷ RT |")
    w("| --- | --- | --- | --- | --- |")
    for backend, tz in (("sqlite", "sqlite"), ("pg", "postgres")):
        data = rt.get(backend)
        if not data:
            continue
        phases = data.get("phases", [])
        bl = "SQLite" if backend == "sqlite" else "PostgreSQL"
        for ph in phases:
            if ph["phase"].startswith("create"):
                conc = ph.get("concurrency", 1)
                mine = find(tz, "intake", tz, conc)
                ratio = f"**{rate(mine) / ph['throughput_per_s']:,.0f}×**" if mine and ph["throughput_per_s"] else "–"
                w(f"| {bl}: create, C={conc} (N={ph['ok']}) | {ph['throughput_per_s']:.1f} tickets/s | "
                  f"{ph['lat_ms']['p50']:.0f} / {ph['lat_ms']['p95']:.0f} | {rate(mine):,.0f} cases/s (C={conc}) | {ratio} |")
                summary["rt"].setdefault(backend, []).append({"phase": ph["phase"], "rt_rate": ph["throughput_per_s"],
                                                              "taizhang_rate": rate(mine)})
        searches = [ph for ph in phases if ph["phase"] == "search"]
        # RT's three searches and the closest ledger filter of ours.
        closest = [("category+status", "list-urgency-category", "urgency + category"),
                   ("category+ward", "list-village-status", "village + status"),
                   ("status+created", "list-month", "a month's from/to")]
        for ph in searches:
            label = ph.get("label", "")
            _, scen, what = next((c for c in closest if label.startswith(c[0])), closest[0])
            mine = find(tz, scen, "town")
            tz_p50 = ms(mine["lat_us"]["p50"]) if mine else None
            ratio = f"**{ph['lat_ms']['p50'] / tz_p50:,.1f}×** (from p50 latency)" if tz_p50 else "–"
            hits = ph.get("total_hits")
            w(f"| {bl}: search “{label}” ({hits} hits, {ph['ok']} reps, one client) | {ph['throughput_per_s']:.0f} /s | "
              f"{ph['lat_ms']['p50']:.0f} / {ph['lat_ms']['p95']:.0f} | ledger {what}: p50 {fmt(tz_p50)} ms |  {ratio} |")
            summary["rt"].setdefault(backend, []).append({"phase": "search", "label": label, "rt_p50_ms": ph["lat_ms"]["p50"],
                                                          "taizhang_p50_ms": tz_p50})
        mem = data.get("server_mem_peak_overall_kb", {})
        if mem:
            w(f"| {bl}: RT web tier peak memory | PSS {mem.get('pss_sum_kb', 0) // 1024} MiB (RSS sum {mem.get('rss_sum_kb', 0) // 1024} MiB) | | "
              f"Taizhang peak RSS {max([r.get('peak_rss_mib', 0) for r in runs[tz]] or [0])} MiB | |")
    w("")
    w("Caveats: RT searched a queue of a few hundred tickets created in the run; Taizhang searched its generated ledger "
      "(see Data set) in one town's scope. RT opens a new connection per request (Starlet has no keep-alive); wrk keeps "
      "connections open. Both ran on the same 2 cores as their load generators.")
    w("")

# --- targets
w("### Targets")
w("")
w("| target | value | limit | met? |")
w("| --- | --- | --- | --- |")
for t in summary["targets"]:
    least = t.get("at_least", False)
    ok = t["value"] >= t["target"] if least else t["value"] <= t["target"]
    verdict = "yes" if ok else "**no** ({:+,.1f})".format(t["value"] - t["target"])
    unit = t["unit"].split(" ")[0]
    w(f"| {t['what']} | {t['value']:,} {unit} | {'≥' if least else '≤'} {t['target']:,} {t['unit']} | {verdict} |")
w("")
w(f"Raw results: `bench/results/latest.json` (this run), per-request logs in `{res}` on the machine that ran it.")

generated = "\n".join(out)
print(generated)

os.makedirs(os.path.dirname(json_path), exist_ok=True)
json.dump(summary, open(json_path, "w"), indent=1, ensure_ascii=False)

if os.path.exists(md_path):
    doc = open(md_path, encoding="utf-8").read()
else:
    doc = "# Benchmarks\n\n" + START + "\n" + END + "\n"
if START not in doc:
    doc += "\n" + START + "\n" + END + "\n"
before, rest = doc.split(START, 1)
after = rest.split(END, 1)[1] if END in rest else ""
open(md_path, "w", encoding="utf-8").write(before + START + "\n" + generated + "\n" + END + after)
