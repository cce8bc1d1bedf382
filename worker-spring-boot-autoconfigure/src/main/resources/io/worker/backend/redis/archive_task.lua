-- Moves a pending, scheduled or retry task to the archive (inspector).
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the pending list     ns:{q}:pending
-- KEYS[3] the scheduled zset   ns:{q}:scheduled
-- KEYS[4] the retry zset       ns:{q}:retry
-- KEYS[5] the archived zset    ns:{q}:archived
-- ARGV[1] the task id
-- ARGV[2] now in ms
-- Returns 1 when archived, 0 when there is no such task, -1 when its state does not allow it.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
	return 0
end
if state == 'pending' then
	redis.call('LREM', KEYS[2], 0, ARGV[1])
elseif state == 'scheduled' or state == 'retry' then
	redis.call('ZREM', state == 'scheduled' and KEYS[3] or KEYS[4], ARGV[1])
else
	return -1
end
redis.call('HDEL', KEYS[1], 'next_at')
redis.call('HSET', KEYS[1], 'state', 'archived')
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
return 1
