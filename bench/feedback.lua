-- POST /api/v1/feedback: reports of a paper asked beyond the list, each about the next dossier of a file of
-- "code secret" lines (proved by its receipt, no account), with a new Idempotency-Key on every request.
-- Usage: wrk -s bench/feedback.lua URL -- FILE RUN_ID   (RUN_ID keeps keys unique across runs on one database)
local bodies = {}
local next_body = 0
local threads = 0
local sent = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    local code, secret = line:match("^(%S+)%s+(%S+)$")
    bodies[#bodies + 1] = '{"dossier": "' .. code .. '", "secret": "' .. secret .. '", ' ..
      '"paper_asked": "Giấy xác nhận tình trạng hôn nhân", "content": "Bị yêu cầu tại quầy.", ' ..
      '"sender": {"name": "Nguyễn Văn Dân", "address": "Số 5 Lê Lợi, Phường Mỹ Tho", "phone": "0912345678"}}'
  end
  -- Threads start apart, so that they do not report on the same dossier at the same moment.
  next_body = (thread_id * math.floor(#bodies / 2)) % #bodies
  prefix = "bench-" .. args[2] .. "-" .. thread_id .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  sent = sent + 1
  next_body = next_body % #bodies + 1
  wrk.headers["Idempotency-Key"] = prefix .. sent
  wrk.body = bodies[next_body]
  return wrk.format()
end
