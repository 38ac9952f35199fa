-- wrk script for GET /api/series filtered by event and lifecycle, paged.
-- Arguments (after --): eventId lifecycle pages pageSize token
--   each request asks for a random page among the first `pages`.
function init(args)
  event, lifecycle, pages, size, token = args[1], args[2], tonumber(args[3]), tonumber(args[4]), args[5]
  headers = { ["Authorization"] = "Bearer " .. token }
  math.randomseed(os.time() + math.random(1, 1000))
end

function request()
  local page = math.random(1, pages)
  return wrk.format("GET", "/api/series?eventId=" .. event .. "&lifecycle=" .. lifecycle .. "&page=" .. page .. "&pageSize=" .. size, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.1f rate=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
