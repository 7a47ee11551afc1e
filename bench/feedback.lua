-- POST /api/v1/feedback: a report of a paper asked beyond the list, proved by the dossier's receipt (no account), with
-- a new Idempotency-Key on every request.
-- Usage: wrk -s bench/feedback.lua URL -- CODE SECRET RUN_ID   (RUN_ID keeps keys unique across runs on one database)
local threads = 0
local sent = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  prefix = "bench-" .. args[3] .. "-" .. thread_id .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"dossier": "' .. args[1] .. '", "secret": "' .. args[2] .. '", ' ..
    '"paper_asked": "Giấy xác nhận tình trạng hôn nhân", "content": "Bị yêu cầu tại quầy.", ' ..
    '"sender": {"name": "Nguyễn Văn Dân", "address": "Số 5 Lê Lợi, Phường Mỹ Tho", "phone": "0912345678"}}'
end

request = function()
  sent = sent + 1
  wrk.headers["Idempotency-Key"] = prefix .. sent
  return wrk.format()
end
