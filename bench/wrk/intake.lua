-- POST /api/v1/cases as an integration would: Bearer token, a realistic body, a unique title and
-- Idempotency-Key per request, villages and categories rotating. Success is 201 (a new case).
-- Env: BENCH_TOKEN, BENCH_VILLAGES (file, one org-unit code per line), BENCH_RUN (unique per run);
-- BENCH_PREFER=respond-async: sent as "Prefer: respond-async" (SQLite answers 202 once the registration is
-- durable in the intake journal), and success is 202.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

local villages = {}
for line in io.lines(os.getenv("BENCH_VILLAGES")) do villages[#villages + 1] = line end
local run = os.getenv("BENCH_RUN") or "run"
local channels = { "Hotline", "WeChat", "Web", "WalkIn" }
local categories = { "infrastructure", "roads", "water", "environment", "employment", "social-security", "agriculture", "safety" }
local urgencies = { "Normal", "Normal", "Normal", "High", "Low", "Urgent" }
local matters = {
  { "村道路灯损坏,夜间出行不便", "来电反映,村道沿线多盏路灯不亮已一个多月,晚上老人和孩子出行不便,希望尽快维修。" },
  { "入户自来水管冻裂漏水", "村民反映,入户自来水管冬季冻裂,家中已停水两天,希望尽快派人维修。" },
  { "河道内倾倒建筑垃圾", "群众反映,有人在村边河道内倾倒建筑垃圾,雨季容易堵塞河道,希望尽快清理并制止。" },
  { "申请公益性岗位", "村民家中有老人需要照顾无法外出务工,希望申请村上的公益性岗位,增加家庭收入。" },
}
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local expected = 201
if (os.getenv("BENCH_PREFER") or "") ~= "" then
  headers["Prefer"] = os.getenv("BENCH_PREFER")
  expected = 202
end
local n = 0

function request()
  n = n + 1
  local m = matters[(n % #matters) + 1]
  local key = string.format("%s-%d-%d", run, tid, n)
  headers["Idempotency-Key"] = key
  local body = string.format(
    '{"channel":"%s","title":"%s(%s)","description":"%s","reporter":{"name":"王秀英","phone":"138%08d"},' ..
    '"orgUnit":"%s","category":"%s","urgency":"%s"}',
    channels[(n % #channels) + 1], m[1], key, m[2], (tid * 7919 + n) % 100000000,
    villages[((tid * 131 + n) % #villages) + 1], categories[(n % #categories) + 1], urgencies[(n % #urgencies) + 1])
  return wrk.format("POST", "/api/v1/cases", headers, body)
end

function response(status, headers, body)
  count(status, body, expected)
end
