-- wrk script: POST refreshes over many devices, each carrying "Permanent-Token: <the device's current token>",
-- as the devices' own clients would. Each thread owns a disjoint share of the devices and takes them in turn.
-- With rotation ("follow"), every answer carries the device's next token: the thread keeps it and never sends
-- a device again before its answer came back, so no refresh presents a retired token. The tokens are read
-- from STATE ("<device id> <token>" a line) and, with "follow", written back there when wrk ends, so the next
-- run carries on where this one stopped.
-- Usage: wrk -tT ... -s perf/wrk/following-permanent-token.lua http://host/device-refresh-token/ -- STATE fixed|follow T

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Globals, so that done() (in wrk's main state, where init never ran) can read them from each thread.
ids, tokens, busy, cursor, follow, state = {}, {}, {}, 0, false, nil

function init(args)
  local mode, count = args[2], tonumber(args[3])
  state = args[1]
  assert(state and (mode == "fixed" or mode == "follow") and count, "usage: -- STATE fixed|follow THREADS")
  follow = mode == "follow"
  local line = 0
  for text in io.lines(state) do
    local device, token = text:match("^(%d+) (%S+)$")
    if device then
      line = line + 1
      if (line - 1) % count == id - 1 then
        ids[#ids + 1] = tonumber(device)
        tokens[tonumber(device)] = token
      end
    end
  end
  assert(#ids > 0, "no devices for thread " .. id .. " in " .. state)
end

function request()
  for _ = 1, #ids do
    cursor = cursor % #ids + 1
    local device = ids[cursor]
    if not busy[device] then
      busy[device] = follow
      return wrk.format("POST", nil, { ["Permanent-Token"] = tokens[device] })
    end
  end
  error("every device of thread " .. id .. " has a refresh in flight: give it more devices than connections")
end

function response(status, headers, body)
  if not follow or status ~= 200 then
    return -- a failed refresh leaves its device out of the run; wrk counts it as non-2xx
  end
  local token = body:match('"permanent_token":"([^"]+)"')
  local device = token and tonumber(token:match("^(%d+)%."))
  if device and tokens[device] then
    tokens[device] = token
    busy[device] = nil
  end
end

function done(summary, latency, requests)
  if not threads[1]:get("follow") then
    return
  end
  local file = assert(io.open(threads[1]:get("state"), "w"))
  for _, thread in ipairs(threads) do
    for device, token in pairs(thread:get("tokens")) do
      file:write(device, " ", token, "\n")
    end
  end
  file:close()
end
