#!/usr/bin/env python3
"""Writes the request lists the query scenarios rotate through (one path per line) into RESULTS_DIR.

Town scope (TownStaff at T01) and county scope (the administrator's county post).
Reads RESULTS_DIR/t01-villages.txt, villages.txt and t01-ids.txt written by run.sh."""
import calendar
import datetime
import sys
import urllib.parse

res = sys.argv[1]
read = lambda name: [l.strip() for l in open(f"{res}/{name}", encoding="utf-8") if l.strip()]
t01_villages, villages, ids = read("t01-villages.txt"), read("villages.txt"), read("t01-ids.txt")

OPEN_SETS = ["Assigned,InProgress", "Registered", "Triaged,Returned,Reopened", "Resolved", "FollowedUp"]
CATEGORIES = ["infrastructure", "roads", "water", "environment", "employment", "social-security", "agriculture",
              "safety", "policy", "dispute-family", "dispute-marriage", "dispute-neighbour", "dispute-land", "other"]
WORDS = ["路灯", "自来水", "垃圾", "纠纷", "低保", "危房", "务工", "灌溉", "道路", "排水", "补贴", "医保"]
# Issue 17: one-, two- and four-character words (a single character matches a large share of the ledger).
WORDS1 = ["水", "路", "电", "房", "桥", "狗", "树", "井", "墙", "粮", "药", "羊"]
WORDS2 = ["路灯", "垃圾", "纠纷", "低保", "危房", "务工", "灌溉", "道路", "排水", "补贴", "医保", "停水"]
WORDS4 = ["安全隐患", "通组道路", "危房改造", "独居老人", "日间照料", "担保贷款", "返乡人员", "发生争执", "项目资金", "公益性岗", "路灯不亮", "村民反映"]
q = lambda **kw: "/api/v1/cases?" + urllib.parse.urlencode(kw, safe=",")


def months(n=12):
    today = datetime.date.today()
    y, m = today.year, today.month
    for _ in range(n):
        last = calendar.monthrange(y, m)[1]
        end = min(datetime.date(y, m, last), today)
        yield f"{y:04d}-{m:02d}-01", end.isoformat()
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)


def village_status(vs):
    return [q(orgUnit=v, status=s) for v in vs for s in OPEN_SETS]


lists = {
    "list-village-status": village_status(t01_villages),
    "list-overdue": [q(overdue="true", sort="dueAt")] + [q(overdue="true", orgUnit=v) for v in t01_villages],
    "list-urgency-category": [q(urgency=u, category=c) for u in ["Urgent", "High", "Urgent,High"] for c in CATEGORIES],
    "list-search": [q(q=w) for w in WORDS],
    "case-detail": [f"/api/v1/cases/{i}" for i in ids],
    "board": ["/board"],
    "list-month": [q(**{"from": f, "to": t, "pageSize": "100"}) for f, t in months()],
    "report-month": [f"/api/v1/reports/monthly?month={f[:7]}" for f, _ in months()],
    "list-search-1": [q(q=w) for w in WORDS1],
    "list-search-2": [q(q=w) for w in WORDS2],
    "list-search-4": [q(q=w) for w in WORDS4],
    "my-tasks": ["/api/v1/tasks"],
    "list-village-status-county": village_status(villages[::5]),
    "list-overdue-county": [q(overdue="true", sort="dueAt")] + [q(overdue="true", orgUnit=v) for v in villages[::40]],
    "list-urgency-category-county": [q(urgency=u, category=c) for u in ["Urgent", "High", "Urgent,High"] for c in CATEGORIES],
    "list-month-county": [q(**{"from": f, "to": t, "pageSize": "100"}) for f, t in months()],
    "list-search-1-county": [q(q=w) for w in WORDS1],
    "list-search-2-county": [q(q=w) for w in WORDS2],
    "list-search-4-county": [q(q=w) for w in WORDS4],
    "my-tasks-county": ["/api/v1/tasks"],
    "list-search-county": [q(q=w) for w in WORDS],
    "board-county": ["/board"],
    "topics": ["/api/v1/topics", "/api/v1/topics?overdue=true", "/api/v1/topics?sort=next", "/api/v1/topics?stage=Ledgered",
               "/api/v1/topics/concentrated-candidates"]
              + [f"/api/v1/topics?village={v}" for v in t01_villages] + [f"/api/v1/topics?village={v}&stage=Planned" for v in t01_villages[::3]],
    "report-month-county": [f"/api/v1/reports/monthly?month={f[:7]}" for f, _ in months()],
    # Issue 15: the consultation figures (meetings, topic, disclosure and mediation events, outcome tallies) by month and for the year.
    "report-consultation": [f"/api/v1/reports/consultation?month={f[:7]}" for f, _ in months()]
    + [f"/api/v1/reports/consultation?from={list(months())[-1][0]}&to={datetime.date.today().isoformat()}"],
    "report-consultation-county": [f"/api/v1/reports/consultation?month={f[:7]}" for f, _ in months()],
    # Issue 16: the whole report (figures, rates with the previous period, 12345 scheme, breakdowns, 12-month trend,
    # rankings, lists) for each month, a quarter, the year and a village; and the cases behind a figure.
    "report-data": [f"/api/v1/reports?month={f[:7]}" for f, _ in months()] + ["/api/v1/reports?period=quarter", "/api/v1/reports?period=year"]
    + [f"/api/v1/reports?period=last-month&unit={v}" for v in t01_villages[:5]],
    "report-data-county": [f"/api/v1/reports?month={f[:7]}" for f, _ in months()] + ["/api/v1/reports?period=year"],
    "report-cases": [f"/api/v1/reports/cases?month={f[:7]}&figure={k}" for f, _ in months() for k in ["handled", "satisfied", "overdue"]],
}
# Issue 17: every other ledger filter at county scope, one scenario each (run.sh runs them as list-filter-<name>, county).
FILTERS = {
    "channel": [q(channel=c) for c in ["Hotline", "WeChat", "Meeting", "WalkIn", "Petition,HigherLevel"]],
    "track": [q(track=t) for t in ["Direct", "Topic"]],
    "assignee-unit": [q(assigneeUnit=f"T{t:02d}-{p}") for t in range(1, 41, 8) for p in ["SFS", "PCS", "ZWB", "NYZ"]]
    + [q(assigneeUnit=f"BJX-{p}") for p in ["YJJ", "ZJJ", "RSJ"]],
    "due-soon": [q(dueSoon="true", sort="dueAt"), q(dueSoon="true")],
    "suspended": [q(suspended="true", sort="dueAt"), q(suspended="true")],
    "supervised": [q(supervised="true", sort="dueAt"), q(supervised="Yellow,Red")],
    "pending-request": [q(pendingRequest="true"), q(pendingRequest="Extension"), q(pendingRequest="Suspension")],
    "reminded": [q(reminded="true")],
    "satisfaction": [q(satisfaction=v) for v in ["Satisfied", "BasicallySatisfied", "Unsatisfied"]],
    "outcome": [q(outcome=v) for v in ["Solved", "PartlySolved", "Explained"]],
    "on-time": [q(onTime=v) for v in ["true", "false"]],
    "resolved-once": [q(resolvedOnce=v) for v in ["true", "false"]],
    "followed-up": [q(followedUp=v) for v in ["true", "false"]],
    "status": [q(status=s) for s in OPEN_SETS],
}
for name, paths in FILTERS.items():
    lists[f"list-filter-{name}-county"] = paths
with open(f"{res}/filters.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(FILTERS) + "\n")

for name, paths in lists.items():
    with open(f"{res}/paths-{name}.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
