-- wrk script: every request carries "Authorization: Bearer <token>" with a token picked at random from a
-- file of tokens, one a line, as requests from many clients would.
-- Usage: wrk ... -s perf/wrk/random-token.lua http://host/path -- tokens.txt

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local requests = {}

function init(args)
  -- Each thread has its own generator; seed them apart so they do not send the same sequence.
  math.randomseed(os.time() * 1000 + id)
  for token in io.lines(args[1]) do
    if #token > 0 then
      requests[#requests + 1] = wrk.format(nil, nil, { Authorization = "Bearer " .. token })
    end
  end
  assert(#requests > 0, "no tokens in " .. tostring(args[1]))
end

function request()
  return requests[math.random(#requests)]
end
