-- wrk script for bench/fairness.sh: POSTs one GraphQL request body in a loop and counts
-- the answers that failed.
--
--   wrk ... -s bench/fairness.lua URL -- BODY_FILE LABEL
--
-- BODY_FILE holds the JSON request body; LABEL names the run in the result line.
-- A response fails when its status is not 200 or its body contains "errors". done()
-- prints one line that fairness.sh parses:
--   RESULT label=L requests=N ok=N failed=N timeouts=N socket_errors=N duration_s=S
--          rps=R ok_rps=R p50_ms=M p99_ms=M
-- where ok_rps = rps * (1 - failed / requests), i.e. only the successful answers.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  label = args[2] or "run"
  local f = assert(io.open(path, "rb"), "cannot open body file " .. tostring(path))
  local body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  ok = 0
  failed = 0
  sample = nil
end

function response(status, headers, body)
  if status == 200 and not string.find(body, '"errors"', 1, true) then
    ok = ok + 1
  else
    failed = failed + 1
    if sample == nil then
      sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local ok_total, failed_total, sample_any, name = 0, 0, nil, "run"
  for _, thread in ipairs(threads) do
    ok_total = ok_total + (thread:get("ok") or 0)
    failed_total = failed_total + (thread:get("failed") or 0)
    sample_any = sample_any or thread:get("sample")
    name = thread:get("label") or name
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write
  local seconds = summary.duration / 1e6
  local n = summary.requests
  local rps = seconds > 0 and n / seconds or 0
  local share = n > 0 and failed_total / n or 0
  local ok_rps = rps * (1 - share)
  if sample_any then
    io.write(string.format("SAMPLE label=%s %s\n", name, (sample_any:gsub("\n", " "))))
  end
  io.write(string.format(
    "RESULT label=%s requests=%d ok=%d failed=%d timeouts=%d socket_errors=%d " ..
    "duration_s=%.3f rps=%.2f ok_rps=%.2f p50_ms=%.2f p99_ms=%.2f\n",
    name, n, ok_total, failed_total, e.timeout, socket_errors, seconds, rps, ok_rps,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
