-- Advance a schedule's last tick (never backwards) and push a fire on its history, only while the
-- schedule exists: a schedule removed meanwhile gets no state back.
-- KEYS[1] the schedule's hash: its definition, and its last tick in the field _lastTick
-- KEYS[2] its history: a list of fires, newest first
-- ARGV[1] the tick to advance to, in ms since the epoch, or "" to leave the last tick alone
-- ARGV[2] the fire to push on the history (tick ms, fired-at ms, queue, task id), or "" for none
-- ARGV[3] how many fires the history keeps
-- Returns 1 when the schedule exists, else 0.
if redis.call('EXISTS', KEYS[1]) == 0 then
	return 0
end
if ARGV[1] ~= '' then
	local last = tonumber(redis.call('HGET', KEYS[1], '_lastTick') or '')
	if last == nil or tonumber(ARGV[1]) > last then
		redis.call('HSET', KEYS[1], '_lastTick', ARGV[1])
	end
end
if ARGV[2] ~= '' then
	redis.call('LPUSH', KEYS[2], ARGV[2])
	redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
end
return 1
