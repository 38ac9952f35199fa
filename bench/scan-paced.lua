-- scan.lua with a pause before every request on each connection, so the load is a steady rate
-- below saturation (about connections / (pause + latency) requests a second) and the latency
-- measured is the system's own, not the queue of a saturated machine.
-- Arguments: those of scan.lua, then the pause in milliseconds.
dofile("bench/scan.lua")

local scan_init = init

function init(args)
  scan_init(args)
  pause = tonumber(args[8])
end

function delay()
  return pause
end
