-- wrk script: POST /v1/check with the JSON body in $BODY_FILE; counts the
-- answers by status and prints p50/p99 latency.
local f = assert(io.open(os.getenv("BODY_FILE") or "body.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  s503 = 0
  other = 0
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    s503 = s503 + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, a, b = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    a = a + t:get("s503")
    b = b + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests/s %.1f (200s: %.1f/s) | p50 %.1f ms | p99 %.1f ms | 200: %d | 503: %d | other status: %d | socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests / (summary.duration / 1e6), o / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    o, a, b, e.connect, e.read, e.write, e.timeout))
end
