-- Settles a delivery that failed for good: active -> archived, with its failure recorded.
-- The unique lock is held until its expiry: an archived task has not completed.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the lease zset       ns:{q}:lease
-- KEYS[3] the archived zset    ns:{q}:archived
-- KEYS[4] today's processed    ns:{q}:processed:<yyyy-mm-dd>
-- KEYS[5] today's failed       ns:{q}:failed:<yyyy-mm-dd>
-- ARGV[1] the task id
-- ARGV[2] the delivery token
-- ARGV[3] now in ms
-- ARGV[4] the counters' TTL in seconds
-- ARGV[5..] the failure's fields and values, in pairs
-- Returns 1 when settled, 0 when the lease was lost (nothing changed).
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
	return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], 'token', 'next_at')
redis.call('HSET', KEYS[1], 'state', 'archived', unpack(ARGV, 5))
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
for i = 4, 5 do
	if redis.call('INCR', KEYS[i]) == 1 then
		redis.call('EXPIRE', KEYS[i], ARGV[4])
	end
end
return 1
