-- Extends the lease of an active task, if the caller's delivery still holds it.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the lease zset       ns:{q}:lease
-- ARGV[1] the task id
-- ARGV[2] the delivery token
-- ARGV[3] the new lease expiry in ms
-- Returns 1 when extended, 0 when the lease was lost (recovered, settled or deleted).
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
	return 0
end
redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[1])
return 1
