-- wrk script for the directory benchmark: each request is the next search from a file
-- of "/directory?..." paths (one per line, as `sensate bench directory --keep DIR`
-- writes DIR/queries.txt), cycling through them. Each wrk thread starts at its own
-- offset so the threads do not ask the same search at the same moment.
--
--   wrk -t2 -c64 -d10s --latency -s bench/directory.lua http://127.0.0.1:8080 -- DIR/queries.txt

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local paths = {}
local next_index = 1

function init(args)
  local file = args[1]
  if file == nil then
    error("give the queries file after --, e.g. -- DIR/queries.txt")
  end
  for line in io.lines(file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no searches in " .. file)
  end
  -- id is set by setup() before init() runs in each thread.
  next_index = ((id or 0) * 7919) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
