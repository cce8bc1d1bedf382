-- Takes up to a given number of tasks from the head of a queue's pending list and makes them
-- active under a lease.
-- KEYS[1] the pending list     ns:{q}:pending
-- KEYS[2] the pause flag       ns:{q}:paused
-- KEYS[3] the lease zset       ns:{q}:lease
-- ARGV[1] the lease's expiry in ms
-- ARGV[2] the delivery token that fences the settling scripts
-- ARGV[3] the queue's key prefix ns:{q}: (task hashes ns:{q}:t:<id> share the queue's slot)
-- ARGV[4] the most tasks to take
-- ARGV[5] the queue name
-- Returns {-1} when a key of the queue holds a value of another type, {} when it is paused or empty, else {pending tasks left, id, {field, value, ...}, ...}
-- with the id and hash of each task taken, in pending order. An id whose task hash is missing (put
-- there by something other than Worker) is leased all the same, under a hash that says so, so that
-- the runtime archives it with that reason instead of the entry stopping the queue; an id whose
-- task key holds another type is handed over unleased with a reason, and the runtime drops it.
-- Answers -1, changing nothing, when a key of the queue holds a value of another type.
local function wrong(key, kind)
	local actual = redis.call('TYPE', key).ok
	return actual ~= 'none' and actual ~= kind
end
if wrong(KEYS[1], 'list') or wrong(KEYS[3], 'zset') then
	return {-1}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
	return {}
end
local taken = {}
for _ = 1, tonumber(ARGV[4]) do
	local id = redis.call('LPOP', KEYS[1])
	if not id then
		break
	end
	local key = ARGV[3] .. 't:' .. id
	local kind = redis.call('TYPE', key).ok
	taken[#taken + 1] = id
	if kind ~= 'hash' and kind ~= 'none' then
		-- nothing can be kept of it: handed over unleased, to be dropped with an error and counted
		taken[#taken + 1] = { 'malformed', 'its task key holds a ' .. kind .. ', not a hash; it is dropped' }
	else
		if kind == 'none' then
			redis.call('HSET', key, 'id', id, 'queue', ARGV[5], 'malformed', 'its task hash is missing')
		end
		redis.call('HSET', key, 'state', 'active', 'token', ARGV[2])
		redis.call('ZADD', KEYS[3], ARGV[1], id)
		taken[#taken + 1] = redis.call('HGETALL', key)
	end
end
if #taken == 0 then
	return {}
end
table.insert(taken, 1, redis.call('LLEN', KEYS[1]))
return taken
