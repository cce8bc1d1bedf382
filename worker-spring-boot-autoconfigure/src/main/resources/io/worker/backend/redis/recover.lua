-- Recovers active tasks whose lease expired (their worker died): each counts a failed attempt and
-- goes to retry, due now, or to the archive when its own max_retries are used up (a task without
-- its own maximum goes to retry: the runtime archives it on delivery if its type's are used up).
-- Dropping the delivery token fences the lost worker's settling scripts. A task hash whose retry
-- count is not a number (written by something other than Worker) is archived as malformed, so that
-- it cannot stop the recovery of the queue's other tasks.
-- KEYS[1] the lease zset       ns:{q}:lease
-- KEYS[2] the retry zset       ns:{q}:retry
-- KEYS[3] the archived zset    ns:{q}:archived
-- KEYS[4] today's processed    ns:{q}:processed:<yyyy-mm-dd>
-- KEYS[5] today's failed       ns:{q}:failed:<yyyy-mm-dd>
-- ARGV[1] now in ms
-- ARGV[2] the most tasks to recover
-- ARGV[3] the queue's key prefix ns:{q}: (task hashes ns:{q}:t:<id> share the queue's slot)
-- ARGV[4] the error to record
-- ARGV[5] now as epoch ms (in the codec's form), the failure time to record
-- ARGV[6] the counters' TTL in seconds
-- Returns how many tasks were recovered, or -1.
-- Answers -1, changing nothing, when a key of the queue holds a value of another type.
local function wrong(key, kind)
	local actual = redis.call('TYPE', key).ok
	return actual ~= 'none' and actual ~= kind
end
if wrong(KEYS[1], 'zset') or wrong(KEYS[2], 'zset') or wrong(KEYS[3], 'zset') then
	return -1
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
	local key = ARGV[3] .. 't:' .. id
	local retried = redis.pcall('HINCRBY', key, 'retried', 1)
	local malformed = type(retried) == 'table'
	local max = tonumber(redis.call('HGET', key, 'max_retries'))
	redis.call('HDEL', key, 'token')
	if malformed then
		redis.call('HSET', key, 'last_error', 'malformed task: its retry count is not a number', 'last_failed_at',
			ARGV[5])
	else
		redis.call('HSET', key, 'last_error', ARGV[4], 'last_failed_at', ARGV[5])
	end
	if malformed or (max and retried > max) then
		redis.call('HDEL', key, 'next_at')
		redis.call('HSET', key, 'state', 'archived')
		redis.call('ZADD', KEYS[3], ARGV[1], id)
	else
		redis.call('HSET', key, 'state', 'retry', 'next_at', ARGV[1])
		redis.call('ZADD', KEYS[2], ARGV[1], id)
	end
end
if #ids > 0 then
	redis.call('ZREM', KEYS[1], unpack(ids))
	for i = 4, 5 do
		if redis.call('INCRBY', KEYS[i], #ids) == #ids then
			redis.call('EXPIRE', KEYS[i], ARGV[6])
		end
	end
end
return #ids
