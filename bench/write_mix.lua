-- wrk script for bench/run.sh: a write mix that creates rows and deletes what it created.
--
--   wrk ... -s bench/write_mix.lua URL -- release SOFTWARE_ID LABEL
--   wrk ... -s bench/write_mix.lua URL -- software - LABEL
--
-- "release": createRelease (a release of SOFTWARE_ID) and deleteRelease.
-- "software": createSoftware (with 5 releases) and deleteSoftware.
--
-- Each create's answer carries the new id; it is queued, and the next request of the same
-- wrk thread deletes it. wrk's Lua API does not say which connection asks for a request,
-- so the alternation is per thread (whose connections share one Lua state): every create is
-- followed by the delete of its own row, and creates and deletes are one to one. Names are
-- unique: bench-LABEL-THREAD-COUNTER. What is still queued when the run ends stays in the
-- database (run.sh deletes every bench-... row after the run).
--
-- A response fails when its status is not 200 or its body contains "errors". done() prints
-- one line in the format of bench/fairness.lua:
--   RESULT label=L requests=N ok=N failed=N timeouts=N socket_errors=N duration_s=S
--          rps=R ok_rps=R p50_ms=M p99_ms=M creates=N deletes=N

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

local CREATE_RELEASE = '{"query":"mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id version releaseDate } }","variables":{"input":{"softwareId":"%s","version":"%s","releaseDate":"2001-02-03"}}}'
local DELETE_RELEASE = '{"query":"mutation($id: UUID!) { deleteRelease(id: $id) { deletedReleaseId softwareId } }","variables":{"id":"%s"}}'
local CREATE_SOFTWARE = '{"query":"mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }","variables":{"input":{"displayName":"%s","maintainerEmail":"bench@example.org","releases":[%s]}}}'
local DELETE_SOFTWARE = '{"query":"mutation($id: UUID!) { deleteSoftware(id: $id) { deletedSoftwareId deletedReleaseIds } }","variables":{"id":"%s"}}'

local SOFTWARE_RELEASES = {}
for i = 1, 5 do
  SOFTWARE_RELEASES[i] = string.format('{"version":"bench-%d","releaseDate":"2001-02-0%d"}', i, i)
end
SOFTWARE_RELEASES = table.concat(SOFTWARE_RELEASES, ",")

function init(args)
  mode = args[1]
  software_id = args[2]
  label = args[3] or mode
  if mode ~= "release" and mode ~= "software" then
    error("mode must be release or software, not " .. tostring(mode))
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  counter = 0
  queue, head, tail = {}, 1, 0 -- ids created and not yet deleted, oldest first
  ok, failed, creates, deletes = 0, 0, 0, 0
  sample = nil
end

function request()
  local body
  if head <= tail then
    local id = queue[head]
    queue[head] = nil
    head = head + 1
    body = string.format(mode == "release" and DELETE_RELEASE or DELETE_SOFTWARE, id)
  else
    counter = counter + 1
    local name = string.format("bench-%s-%d-%d", label, thread_no, counter)
    if mode == "release" then
      body = string.format(CREATE_RELEASE, software_id, name)
    else
      body = string.format(CREATE_SOFTWARE, name, SOFTWARE_RELEASES)
    end
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 200 and not string.find(body, '"errors"', 1, true) then
    ok = ok + 1
    local id = string.match(body, '"create%a+":{"id":"([%x%-]+)"')
    if id then
      creates = creates + 1
      tail = tail + 1
      queue[tail] = id
    else
      deletes = deletes + 1
    end
  else
    failed = failed + 1
    if sample == nil then
      sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local ok_total, failed_total, creates_total, deletes_total = 0, 0, 0, 0
  local sample_any, name = nil, "run"
  for _, thread in ipairs(threads) do
    ok_total = ok_total + (thread:get("ok") or 0)
    failed_total = failed_total + (thread:get("failed") or 0)
    creates_total = creates_total + (thread:get("creates") or 0)
    deletes_total = deletes_total + (thread:get("deletes") or 0)
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
    "duration_s=%.3f rps=%.2f ok_rps=%.2f p50_ms=%.2f p99_ms=%.2f creates=%d deletes=%d\n",
    name, n, ok_total, failed_total, e.timeout, socket_errors, seconds, rps, ok_rps,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, creates_total,
    deletes_total))
end
