-- Stores new tasks of one queue, each pending when due now and scheduled otherwise, atomically with
-- its unique lock: a whole batch of one queue is one script call.
-- KEYS[1] the pending list     ns:{q}:pending
-- KEYS[2] the scheduled zset   ns:{q}:scheduled
-- ARGV[1] now in ms
-- ARGV[2] the wake-up channel
-- ARGV[3] the queue name
-- ARGV[4] the queue's key prefix ns:{q}: (task hashes and unique locks share the queue's slot)
-- ARGV[5..] per task: its id; its due time in ms, or 0 to make it pending now; its unique lock's
-- expiry in ms, or 0 when it is not unique; its unique key, or ''; how many hash arguments follow;
-- then the task hash's fields and values, in pairs (state included).
-- The lock is a hash of the owning task's id and its expiry by the store's clock, not a key with a Redis
-- TTL: the store's clock decides when it lapses. It lives no longer than its task, whose settling,
-- deletion or trimming deletes it.
-- Returns one code per task, in order: 1 when stored, -1 when a task with this id exists in the
-- queue, -2 when the unique lock is held.
local codes = {}
local woken = false
local i = 5
while i <= #ARGV do
	local id, due, lockExpiry, count = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 4])
	local key = ARGV[4] .. 't:' .. id
	local code = 1
	if redis.call('EXISTS', key) == 1 then
		code = -1
	elseif lockExpiry ~= '0' then
		local lock = ARGV[4] .. 'unique:' .. ARGV[i + 3]
		local expires = tonumber(redis.call('HGET', lock, 'expires_at'))
		if expires and expires > tonumber(ARGV[1]) then
			code = -2
		else
			redis.call('HSET', lock, 'task', id, 'expires_at', lockExpiry)
		end
	end
	if code == 1 then
		redis.call('HSET', key, unpack(ARGV, i + 5, i + 4 + count))
		if due == '0' then
			-- only the first task of an empty list wakes idle workers: a non-empty list already keeps them busy
			if redis.call('RPUSH', KEYS[1], id) == 1 then
				woken = true
			end
		else
			redis.call('ZADD', KEYS[2], due, id)
		end
	end
	codes[#codes + 1] = code
	i = i + 5 + count
end
if woken then
	redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return codes
