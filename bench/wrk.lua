-- wrk script shared by every bench scenario.
--   WRK_METHOD / WRK_BODY / WRK_CONTENT_TYPE (environment) turn the request into e.g. a form POST.
--   WRK_PATHS: a file of request paths (one per line), cycled request after request (the URL on
--   the command line then only gives the host); WRK_BODIES: a file of bodies (one per line),
--   cycled the same way, sent as WRK_CONTENT_TYPE (default application/json). Each wrk thread
--   starts at a different line, so 16 connections do not ask for the same record at once.
--   WRK_HEADERS: a file of header lines (`Name: value`), cycled once per pass over WRK_PATHS,
--   so every (path, header) pair is sent once before any repeats (votes: every idea by every
--   voter); the two threads take alternate pairs, and WRK_STATE (a file) carries where the
--   previous run stopped, so that the next run sends new pairs.
--   WRK_DELAY_MS: each connection waits this long on average before each request, drawn from an
--   exponential distribution (paced load: 16 connections and 8 ms offer at most 2,000
--   requests/s), so latency is measured at a given throughput rather than at saturation. A fixed
--   wait kept the connections in step: the writes of one group commit answer together, so 16
--   requests came back at once 8 ms later, and a paced write waited behind 15 others (creates:
--   p50 4.1 ms with fixed waits, 2.2 ms with drawn ones, same server; docs/PERFORMANCE.md).
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
    return -math.log(1 - math.random()) * pace
  end
end

local paths = lines(os.getenv("WRK_PATHS"))
local bodies = lines(os.getenv("WRK_BODIES"))
local heads = {}
for _, l in ipairs(lines(os.getenv("WRK_HEADERS"))) do
  local name, value = l:match("^([^:]+):%s*(.*)$")
  if name then
    heads[#heads + 1] = { name, value }
  end
end
local state_file = os.getenv("WRK_STATE")
local function read_state()
  local f = state_file and state_file ~= "" and io.open(state_file, "r")
  if not f then
    return 0
  end
  local v = tonumber(f:read("*l") or "") or 0
  f:close()
  return v
end
if #bodies > 0 then
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
end

if #paths > 0 or #bodies > 0 then
  local threads = 0
  local offset = read_state()
  setup = function(thread)
    if #heads > 0 then
      thread:set("start", offset + threads)
      thread:set("step", 2)
    else
      thread:set("start", threads * 7919)
      thread:set("step", 1)
    end
    threads = threads + 1
  end
  local n = 0
  local by = 1
  init = function(args)
    n = start or 0
    by = step or 1
  end
  request = function()
    n = n + by
    local path = nil
    if #paths > 0 then
      path = paths[n % #paths + 1]
    end
    local b = nil
    if #bodies > 0 then
      b = bodies[n % #bodies + 1]
    end
    local h = nil
    if #heads > 0 then
      -- wrk.format takes the table given instead of wrk.headers (the -H ones): merge them.
      local pick = heads[math.floor(n / math.max(#paths, 1)) % #heads + 1]
      h = {}
      for k, v in pairs(wrk.headers) do
        h[k] = v
      end
      h[pick[1]] = pick[2]
    end
    return wrk.format(nil, path, h, b)
  end
end

done = function(summary, latency, requests)
  if state_file and state_file ~= "" and #heads > 0 then
    -- Both threads went about as far; a margin keeps the next run clear of this one's pairs.
    local f = io.open(state_file, "w")
    if f then
      f:write(string.format("%d\n", read_state() + summary.requests + 1000))
      f:close()
    end
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "PHARE_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d errors_status=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
