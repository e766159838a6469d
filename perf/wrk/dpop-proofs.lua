-- wrk script: bound requests, each "Authorization: DPoP <token>" with a fresh "DPoP: <proof>" signed ahead of time
-- (perf/JwtDevices.DpopProofs). Thread N reads <prefix>.N line by line, "<device number> <proof>", and sends each
-- proof once with that device's token (line <device number> of the tokens file). A thread that runs out of proofs
-- sends requests without one, which the server refuses (wrk then counts non-2xx answers), and done() says so.
-- Usage: wrk ... -s perf/wrk/dpop-proofs.lua http://host/me -- bound-tokens proofs.<run>

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local tokens = {}
local proofs
used = 0
exhausted = 0

function init(args)
  for token in io.lines(args[1]) do
    if #token > 0 then
      tokens[#tokens + 1] = "DPoP " .. token
    end
  end
  assert(#tokens > 0, "no tokens in " .. tostring(args[1]))
  local name = args[2] .. "." .. id
  proofs = assert(io.open(name, "r"), "no proofs in " .. name)
end

function request()
  local line = proofs:read("*l")
  if line == nil then
    exhausted = exhausted + 1
    return wrk.format(nil, nil, { Authorization = tokens[1] })
  end
  used = used + 1
  local space = line:find(" ", 1, true)
  return wrk.format(nil, nil, { Authorization = tokens[tonumber(line:sub(1, space - 1))], DPoP = line:sub(space + 1) })
end

function done(summary, latency, requests)
  local total_used, total_exhausted = 0, 0
  for _, thread in ipairs(threads) do
    total_used = total_used + thread:get("used")
    total_exhausted = total_exhausted + thread:get("exhausted")
  end
  io.write(string.format("DPoP proofs used: %d\n", total_used))
  if total_exhausted > 0 then
    io.write(string.format("DPoP proofs ran out: %d requests went without one; raise PROOF_RATE\n", total_exhausted))
  end
end
