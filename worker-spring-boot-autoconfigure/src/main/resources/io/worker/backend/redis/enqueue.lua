-- Stores a new task, pending when due now and scheduled otherwise, atomically with its unique lock.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the pending list     ns:{q}:pending
-- KEYS[3] the scheduled zset   ns:{q}:scheduled
-- KEYS[4] the unique lock      ns:{q}:unique:<key> (the task hash again when the task is not unique)
-- ARGV[1] the task id
-- ARGV[2] the due time in ms, or 0 to make it pending now
-- ARGV[3] the unique lock's TTL in ms, or 0 when the task is not unique
-- ARGV[4] the wake-up channel
-- ARGV[5] the queue name
-- ARGV[6..] the task hash's fields and values, in pairs (state included)
-- Returns 1 when stored, -1 when a task with this id exists in the queue, -2 when the unique lock is held.
if redis.call('EXISTS', KEYS[1]) == 1 then
	return -1
end
if ARGV[3] ~= '0' and not redis.call('SET', KEYS[4], ARGV[1], 'NX', 'PX', ARGV[3]) then
	return -2
end
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
if ARGV[2] == '0' then
	-- only the first task of an empty list wakes idle workers: a non-empty list already keeps them busy
	if redis.call('RPUSH', KEYS[2], ARGV[1]) == 1 then
		redis.call('PUBLISH', ARGV[4], ARGV[5])
	end
else
	redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
end
return 1
