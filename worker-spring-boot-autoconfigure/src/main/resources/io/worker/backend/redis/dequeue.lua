-- Takes the task at the head of a queue's pending list and makes it active under a lease.
-- KEYS[1] the pending list     ns:{q}:pending
-- KEYS[2] the pause flag       ns:{q}:paused
-- KEYS[3] the lease zset       ns:{q}:lease
-- ARGV[1] the lease's expiry in ms
-- ARGV[2] the delivery token that fences the settling scripts
-- ARGV[3] the queue's key prefix ns:{q}: (the task hash ns:{q}:t:<id> shares the queue's slot)
-- Returns {} when the queue is paused or empty, else {pending tasks left, field, value, ...} of the task hash.
if redis.call('EXISTS', KEYS[2]) == 1 then
	return {}
end
local id = redis.call('LPOP', KEYS[1])
if not id then
	return {}
end
local key = ARGV[3] .. 't:' .. id
redis.call('HSET', key, 'state', 'active', 'token', ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], id)
local task = redis.call('HGETALL', key)
table.insert(task, 1, redis.call('LLEN', KEYS[1]))
return task
