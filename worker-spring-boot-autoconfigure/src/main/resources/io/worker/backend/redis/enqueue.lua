-- Stores a new task, pending when due now and scheduled otherwise, atomically with its unique lock.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the pending list     ns:{q}:pending
-- KEYS[3] the scheduled zset   ns:{q}:scheduled
-- KEYS[4] the unique lock      ns:{q}:unique:<key> (the task hash again when the task is not unique)
-- ARGV[1] the task id
-- ARGV[2] the due time in ms, or 0 to make it pending now
-- ARGV[3] the unique lock's expiry in ms, or 0 when the task is not unique
-- ARGV[4] now in ms
-- ARGV[5] the wake-up channel
-- ARGV[6] the queue name
-- ARGV[7..] the task hash's fields and values, in pairs (state included)
-- The lock is a hash of the owning task's id and its expiry by the store's clock, not a key with a Redis
-- TTL: the store's clock decides when it lapses. It lives no longer than its task, whose settling,
-- deletion or trimming deletes it.
-- Returns 1 when stored, -1 when a task with this id exists in the queue, -2 when the unique lock is held.
if redis.call('EXISTS', KEYS[1]) == 1 then
	return -1
end
if ARGV[3] ~= '0' then
	local expires = tonumber(redis.call('HGET', KEYS[4], 'expires_at'))
	if expires and expires > tonumber(ARGV[4]) then
		return -2
	end
	redis.call('HSET', KEYS[4], 'task', ARGV[1], 'expires_at', ARGV[3])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
if ARGV[2] == '0' then
	-- only the first task of an empty list wakes idle workers: a non-empty list already keeps them busy
	if redis.call('RPUSH', KEYS[2], ARGV[1]) == 1 then
		redis.call('PUBLISH', ARGV[5], ARGV[6])
	end
else
	redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
end
return 1
