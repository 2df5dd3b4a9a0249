-- Shared by the wrk scripts: per-thread status counters, and one JSON line of results at the end
-- (wrk's own summary has no p95 and does not tell 201 from 200).
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

ok_count, other_count, first_other = 0, 0, ""

function count(status, body, expected)
  if status == expected then
    ok_count = ok_count + 1
  else
    other_count = other_count + 1
    if first_other == "" then first_other = status .. " " .. string.sub(body or "", 1, 160) end
  end
end

function done(summary, latency, requests)
  local ok, other, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    ok = ok + t:get("ok_count")
    other = other + t:get("other_count")
    local s = t:get("first_other")
    if sample == "" and s ~= nil then sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"ok":%d,"other_status":%d,"socket_errors":%d,"timeouts":%d,' ..
    '"lat_us":{"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f},"sample_other":"%s"}\n',
    summary.requests, summary.duration, ok, other, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, string.gsub(sample, '[%c"\\]', " ")))
end
