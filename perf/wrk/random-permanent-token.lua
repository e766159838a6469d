-- wrk script: POST requests carrying "Permanent-Token: <prefix><n>" with n picked at random in 1..count,
-- the tokens that perf/refresh-latency.sh stored (as hashes) for its devices.
-- Usage: wrk ... -s perf/wrk/random-permanent-token.lua http://host/device-refresh-token/ -- PREFIX COUNT

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local prefix, count

function init(args)
  math.randomseed(os.time() * 1000 + id)
  prefix, count = args[1], tonumber(args[2])
  assert(prefix and count and count > 0, "usage: -- PREFIX COUNT")
end

function request()
  return wrk.format("POST", nil, { ["Permanent-Token"] = prefix .. math.random(count) })
end
