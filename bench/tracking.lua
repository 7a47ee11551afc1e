-- GET /api/v1/tracking/{code}?secret=... over existing dossiers, round-robin from a file of "code secret" lines.
-- Usage: wrk -s bench/tracking.lua URL -- FILE
local paths = {}
local next_path = 0

function setup(thread)
  thread:set("thread_id", (thread_count or 0))
  thread_count = (thread_count or 0) + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local code, secret = line:match("^(%S+)%s+(%S+)$")
    paths[#paths + 1] = "/api/v1/tracking/" .. code .. "?secret=" .. secret
  end
  -- Threads start apart, so that they do not ask for the same dossier at the same moment.
  next_path = (thread_id * math.floor(#paths / 2)) % #paths
end

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
