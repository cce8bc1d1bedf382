-- Counts one task started in a queue's current rate limit window, opening the window on its first start.
-- KEYS[1] the window counter   ns:{q}:rate
-- ARGV[1] the window's length in ms
-- Returns the starts counted in the window.
local started = redis.call('INCR', KEYS[1])
if started == 1 then
	redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return started
