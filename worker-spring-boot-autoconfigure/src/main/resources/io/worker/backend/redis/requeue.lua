-- Hands an active task back unprocessed: active -> head of pending, no attempt counted.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the lease zset       ns:{q}:lease
-- KEYS[3] the pending list     ns:{q}:pending
-- ARGV[1] the task id
-- ARGV[2] the delivery token
-- ARGV[3] the wake-up channel
-- ARGV[4] the queue name
-- Returns 1 when requeued, 0 when the lease was lost (nothing changed).
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
	return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], 'token')
redis.call('HSET', KEYS[1], 'state', 'pending')
if redis.call('LPUSH', KEYS[3], ARGV[1]) == 1 then
	redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return 1
