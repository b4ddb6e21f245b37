-- wrk script for `make loadtest`: readers browsing and searching, 5xx counted per thread.
-- The paths come from the environment variable READER_PATHS (comma-separated), set by
-- scripts/loadtest.py from the seeded data.
local paths = {}
for path in string.gmatch(os.getenv("READER_PATHS") or "/", "([^,]+)") do
  table.insert(paths, path)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server_errors = 0
  responses = 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  responses = responses + 1
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local errors, counted = 0, 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("server_errors")
    counted = counted + thread:get("responses")
  end
  io.write(string.format(
    "WRK_RESULT {\"requests\": %d, \"seconds\": %.3f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, " ..
    "\"server_errors\": %d, \"socket_errors\": %d, \"responses\": %d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    counted))
end
