-- Settles a delivery that succeeded: deletes the task, or keeps it completed for its retention.
-- Releases the task's unique lock if it still holds this task's id.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the lease zset       ns:{q}:lease
-- KEYS[3] the completed zset   ns:{q}:completed
-- KEYS[4] today's counter      ns:{q}:processed:<yyyy-mm-dd>
-- ARGV[1] the task id
-- ARGV[2] the delivery token
-- ARGV[3] now in ms
-- ARGV[4] the retention in ms, or 0 to delete the task
-- ARGV[5] the result, or '' for none
-- ARGV[6] the counter's TTL in seconds
-- ARGV[7] the queue's key prefix ns:{q}: (the unique lock ns:{q}:unique:<key> shares the queue's slot)
-- Returns 1 when settled, 0 when the lease was lost (nothing changed).
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
	return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
local unique = redis.call('HGET', KEYS[1], 'unique_key')
if unique and redis.call('HGET', ARGV[7] .. 'unique:' .. unique, 'task') == ARGV[1] then
	redis.call('DEL', ARGV[7] .. 'unique:' .. unique)
end
if redis.call('INCR', KEYS[4]) == 1 then
	redis.call('EXPIRE', KEYS[4], ARGV[6])
end
if ARGV[4] == '0' then
	redis.call('DEL', KEYS[1])
	return 1
end
redis.call('HDEL', KEYS[1], 'token', 'next_at')
redis.call('HSET', KEYS[1], 'state', 'completed', 'completed_at', ARGV[3])
if ARGV[5] ~= '' then
	redis.call('HSET', KEYS[1], 'result', ARGV[5])
end
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
return 1
