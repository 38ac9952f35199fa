-- wrk script for POST /api/events/{eventId}/scans.
-- Arguments (after --): mode (cold|warm) wristbands offset eventId mainGate vipGate token
--   cold: every request scans a wristband not scanned before, from offset+1 on (each of the two
--         threads walks its own stride), so every scan activates a grain: the gate-opening case.
--   warm: random wristbands among all of them (already activated by the cold runs).
-- Mix: about 90% allowed (general/vip wristbands at the main gate, vip at the vip gate), ~5% general
-- wristbands at the VIP gate (gate_not_allowed), ~5% unknown NFC UIDs (unknown_wristband).
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, count, offset, event, main, vip, token = args[1], tonumber(args[2]), tonumber(args[3]), args[4], args[5], args[6], args[7]
  counter = 0
  path = "/api/events/" .. event .. "/scans"
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  math.randomseed(os.time() + tid * 7919)
end

function request()
  local i
  if mode == "cold" then
    i = offset + (tid + counter * 2) % (count - offset) + 1
    counter = counter + 1
  else
    i = math.random(1, count)
  end
  local roll = math.random(1, 100)
  local nfc = string.format("B%08d", i)
  local gate = main
  if roll <= 5 then
    nfc = string.format("X%08d", i)
  elseif roll <= 10 then
    gate = vip
  end
  return wrk.format("POST", path, headers, '{"nfcId":"' .. nfc .. '","gateId":"' .. gate .. '","direction":"in"}')
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.1f rate=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end

