-- POST /api/v1/dossiers (counter intake) with a new Idempotency-Key on every request.
-- Usage: wrk -s bench/intake.lua URL -- TOKEN RUN_ID   (RUN_ID keeps keys unique across runs on one database)
-- With a third argument "replay", every request repeats the key RUN_ID, already used: each answer is the stored one.
local threads = 0
local sent = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  prefix = "bench-" .. args[2] .. "-" .. thread_id .. "-"
  replay = args[3] == "replay" and args[2] or nil
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Token " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  -- Đăng ký khai sinh, case 0, with its three mandatory papers (GT01, GT02, GT_TT) as the demo catalogue lists them.
  wrk.body = [[{"procedure": "1.001193", "case": 0, "channel": 1, "receiving_unit": "28261.TTPVHCC",
    "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "phone": "0901234567",
                  "address": "Số 12 đường Ấp Bắc, Phường Mỹ Tho, tỉnh Đồng Tháp"},
    "papers": [{"component": "GT01", "originals": 1}, {"component": "GT02", "originals": 1},
               {"component": "GT_TT", "copies": 1}]}]]
end

request = function()
  sent = sent + 1
  wrk.headers["Idempotency-Key"] = replay or prefix .. sent
  return wrk.format()
end
