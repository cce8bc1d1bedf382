-- Moves due scheduled and retry tasks of a queue to the tail of its pending list, due first.
-- KEYS[1] the scheduled zset   ns:{q}:scheduled
-- KEYS[2] the retry zset       ns:{q}:retry
-- KEYS[3] the pending list     ns:{q}:pending
-- ARGV[1] now in ms
-- ARGV[2] the most tasks to move
-- ARGV[3] the queue's key prefix ns:{q}: (task hashes ns:{q}:t:<id> share the queue's slot)
-- ARGV[4] the wake-up channel
-- ARGV[5] the queue name
-- Returns how many tasks moved, or -1.
-- Answers -1, changing nothing, when a key of the queue holds a value of another type.
local function wrong(key, kind)
	local actual = redis.call('TYPE', key).ok
	return actual ~= 'none' and actual ~= kind
end
if wrong(KEYS[1], 'zset') or wrong(KEYS[2], 'zset') or wrong(KEYS[3], 'list') then
	return -1
end
local wasEmpty = redis.call('LLEN', KEYS[3]) == 0
local moved = 0
for i = 1, 2 do
	local left = tonumber(ARGV[2]) - moved
	if left > 0 then
		local ids = redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', ARGV[1], 'LIMIT', 0, left)
		for _, id in ipairs(ids) do
			redis.call('RPUSH', KEYS[3], id)
			redis.call('HSET', ARGV[3] .. 't:' .. id, 'state', 'pending')
		end
		if #ids > 0 then
			redis.call('ZREM', KEYS[i], unpack(ids))
		end
		moved = moved + #ids
	end
end
if moved > 0 and wasEmpty then
	redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return moved
