-- Settles deliveries of one queue that succeeded: deletes each task, or keeps it completed for its
-- retention. Releases a task's unique lock if it still holds this task's id. Completions that
-- finish together are settled in one call, each fenced by its own delivery token. Then takes up to
-- a given number of the queue's pending tasks under a new lease, as dequeue.lua does, for the
-- workers that finished: their next tasks, in the same round trip (take.lua, which this script
-- starts with).
-- KEYS[1] the lease zset       ns:{q}:lease
-- KEYS[2] the completed zset   ns:{q}:completed
-- KEYS[3] today's counter      ns:{q}:processed:<yyyy-mm-dd>
-- KEYS[4] the pending list     ns:{q}:pending
-- KEYS[5] the pause flag       ns:{q}:paused
-- ARGV[1] now in ms
-- ARGV[2] the counter's TTL in seconds
-- ARGV[3] the queue's key prefix ns:{q}: (task hashes and unique locks share the queue's slot)
-- ARGV[4] the most pending tasks to take afterwards (0 for none)
-- ARGV[5] their lease's expiry in ms
-- ARGV[6] their delivery token
-- ARGV[7] the queue name
-- ARGV[8..] per delivery: the task id, the delivery token, the retention in ms (0 to delete the
-- task) and the result ('' for none)
-- Returns {codes, taken}: codes has one code per delivery, in order, 1 when settled, 0 when the
-- lease was lost (nothing changed); taken is take.lua's answer.
local codes = {}
local settled = 0
for i = 8, #ARGV, 4 do
	local id, retention, result = ARGV[i], ARGV[i + 2], ARGV[i + 3]
	local key = ARGV[3] .. 't:' .. id
	if redis.call('HGET', key, 'token') ~= ARGV[i + 1] then
		codes[#codes + 1] = 0
	else
		redis.call('ZREM', KEYS[1], id)
		local unique = redis.call('HGET', key, 'unique_key')
		if unique and redis.call('HGET', ARGV[3] .. 'unique:' .. unique, 'task') == id then
			redis.call('DEL', ARGV[3] .. 'unique:' .. unique)
		end
		if retention == '0' then
			redis.call('DEL', key)
		else
			redis.call('HDEL', key, 'token', 'next_at')
			redis.call('HSET', key, 'state', 'completed', 'completed_at', ARGV[1])
			if result ~= '' then
				redis.call('HSET', key, 'result', result)
			end
			redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(retention), id)
		end
		settled = settled + 1
		codes[#codes + 1] = 1
	end
end
if settled > 0 and redis.call('INCRBY', KEYS[3], settled) == settled then
	redis.call('EXPIRE', KEYS[3], ARGV[2])
end
return { codes, take(KEYS[4], KEYS[5], KEYS[1], ARGV[5], ARGV[6], ARGV[3], tonumber(ARGV[4]), ARGV[7]) }
