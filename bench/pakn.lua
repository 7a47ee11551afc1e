-- POST /api/v1/feedback: phản ánh, kiến nghị about a regulation, each about the next unit of a file of unit codes,
-- sent without an account, with a new Idempotency-Key on every request.
-- Usage: wrk -s bench/pakn.lua URL -- FILE RUN_ID   (RUN_ID keeps keys unique across runs on one database)
local units = {}
local threads = 0
local sent = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    units[#units + 1] = line
  end
  prefix = "pakn-" .. args[2] .. "-" .. thread_id .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  sent = sent + 1
  wrk.headers["Idempotency-Key"] = prefix .. sent
  wrk.body = '{"kind": "pakn", "topic": "quy_dinh", "subject_unit": "' .. units[sent % #units + 1] .. '", ' ..
    '"content": "Thủ tục đòi bản sao chứng thực dù đã có bản điện tử (' .. prefix .. sent .. ').", ' ..
    '"sender": {"name": "Nguyễn Văn Dân", "address": "Số 5 Lê Lợi, Phường Mỹ Tho", "phone": "0912345678"}}'
  return wrk.format()
end
