-- wrk script shared by every bench scenario.
--   WRK_METHOD / WRK_BODY / WRK_CONTENT_TYPE (environment) turn the request into e.g. a form POST.
--   WRK_PATHS: a file of request paths (one per line), cycled request after request (the URL on
--   the command line then only gives the host); WRK_BODIES: a file of bodies (one per line),
--   cycled the same way, sent as WRK_CONTENT_TYPE (default application/json). Each wrk thread
--   starts at a different line, so 16 connections do not ask for the same record at once.
--   WRK_DELAY_MS: each connection waits this long before each request (paced, open-loop-like
--   load: 16 connections and 8 ms offer about 2,000 requests/s), so latency is measured at a
--   given throughput rather than at saturation.
-- At the end it prints one machine-readable line:
--   PHARE_RESULT requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N
--                errors_connect=N errors_read=N errors_write=N errors_timeout=N errors_status=N

local method = os.getenv("WRK_METHOD")
if method and method ~= "" then
  wrk.method = method
end
local body = os.getenv("WRK_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/x-www-form-urlencoded"
end

local function lines(path)
  local t = {}
  if path and path ~= "" then
    for l in io.lines(path) do
      if l ~= "" then
        t[#t + 1] = l
      end
    end
  end
  return t
end

local pace = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pace and pace > 0 then
  delay = function()
    return pace
  end
end

local paths = lines(os.getenv("WRK_PATHS"))
local bodies = lines(os.getenv("WRK_BODIES"))
if #bodies > 0 then
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
end

if #paths > 0 or #bodies > 0 then
  local threads = 0
  setup = function(thread)
    thread:set("start", threads * 7919)
    threads = threads + 1
  end
  local n = 0
  init = function(args)
    n = start or 0
  end
  request = function()
    n = n + 1
    local path = nil
    if #paths > 0 then
      path = paths[n % #paths + 1]
    end
    local b = nil
    if #bodies > 0 then
      b = bodies[n % #bodies + 1]
    end
    return wrk.format(nil, path, nil, b)
  end
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "PHARE_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d errors_status=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
