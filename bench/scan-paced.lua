-- scan.lua with a pause before every request on each connection, so the load is a steady rate
-- below saturation (about connections / (pause + latency) requests a second) and the latency
-- measured is the system's own, not the queue of a saturated machine.
-- Arguments: those of scan.lua, then the pause in milliseconds; a fraction is kept by alternating
-- whole milliseconds (wrk's delay() takes whole milliseconds), 2.5 being 2, 3, 2, 3, ...
dofile("bench/scan.lua")

local scan_init = init

function init(args)
  scan_init(args)
  pause = tonumber(args[8])
  owed = 0
end

function delay()
  owed = owed + pause
  local whole = math.floor(owed)
  owed = owed - whole
  return whole
end
