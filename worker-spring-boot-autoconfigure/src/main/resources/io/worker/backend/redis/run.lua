-- Makes a scheduled, retry or archived task pending now (inspector).
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the pending list     ns:{q}:pending
-- KEYS[3] the scheduled zset   ns:{q}:scheduled
-- KEYS[4] the retry zset       ns:{q}:retry
-- KEYS[5] the archived zset    ns:{q}:archived
-- ARGV[1] the task id
-- ARGV[2] now in ms
-- ARGV[3] the wake-up channel
-- ARGV[4] the queue name
-- Returns 1 when moved, 0 when there is no such task, -1 when its state does not allow it.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
	return 0
end
local from = ({ scheduled = KEYS[3], retry = KEYS[4], archived = KEYS[5] })[state]
if not from then
	return -1
end
redis.call('ZREM', from, ARGV[1])
redis.call('HSET', KEYS[1], 'state', 'pending', 'next_at', ARGV[2])
if redis.call('RPUSH', KEYS[2], ARGV[1]) == 1 then
	redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return 1
