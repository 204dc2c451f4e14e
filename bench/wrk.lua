-- wrk script shared by every bench scenario.
--   WRK_METHOD / WRK_BODY / WRK_CONTENT_TYPE (environment) turn the request into e.g. a form POST.
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
