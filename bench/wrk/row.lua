-- One row of `make bench`: each wrk thread cycles through its own share of the request
-- lines of a file ("METHOD<TAB>PATH<TAB>JSON BODY"), so a booking body is sent once
-- (unless the list runs out) and GET lists rotate. Answers other than the expected status
-- are counted per status; done() prints everything as one JSON line for manage.py bench.
--
-- wrk -s row.lua URL -- <requests file> <threads> <expected status> [bearer token] [cookie]

local threads = {}
local created = 0

function setup(thread)
  thread:set("tid", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  local path, thread_count = args[1], tonumber(args[2])
  expected = tonumber(args[3])
  local token = args[4]
  local cookie = args[5]
  local lines = {}
  for line in io.lines(path) do
    table.insert(lines, line)
  end
  -- A list shorter than the thread count (one URL) is sent whole by every thread.
  local share = #lines >= thread_count
  requests = {}
  for index, line in ipairs(lines) do
    if not share or (index - 1) % thread_count == tid then
      local method, target, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      -- As a TLS-terminating proxy would send it (SECURE_PROXY_SSL_HEADER).
      local headers = { ["X-Forwarded-Proto"] = "https" }
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/json"
      end
      if token and token ~= "" then
        headers["Authorization"] = "Bearer " .. token
      end
      if cookie and cookie ~= "" then
        headers["Cookie"] = cookie
      end
      table.insert(requests, wrk.format(method, target, headers, body))
    end
  end
  if #requests == 0 then
    error("no requests for thread " .. tid .. " in " .. path)
  end
  position = 0
  answered = 0
  unexpected = {}
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status == expected then
    answered = answered + 1
  else
    unexpected[tostring(status)] = (unexpected[tostring(status)] or 0) + 1
  end
end

function done(summary, latency, requests)
  local statuses = {}
  local expected_answers = 0
  for _, thread in ipairs(threads) do
    expected_answers = expected_answers + thread:get("answered")
    for status, count in pairs(thread:get("unexpected")) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "expected_answers": %d, '
      .. '"unexpected_statuses": {%s}, "socket_errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "timeout": %d}, "latency_us": {"mean": %.1f, "max": %d, '
      .. '"p50": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, expected_answers, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)
  ))
end
