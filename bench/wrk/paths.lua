-- GET requests rotating through a list of paths, signed in with a session cookie. Success is 200.
-- Env: BENCH_PATHS (file, one path per line), BENCH_COOKIE ("name=value").
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local headers = { ["Cookie"] = os.getenv("BENCH_COOKIE"), ["Accept"] = "application/json, text/html" }
local i = 0

function request()
  i = i + 1
  return wrk.format("GET", paths[((tid * 17 + i) % #paths) + 1], headers)
end

function response(status, headers, body)
  count(status, body, 200)
end
