-- Shared by dequeue.lua and complete.lua, which start with it: takes up to max tasks from the head
-- of a queue's pending list and makes them active under a lease.
-- pending, paused, lease: the queue's pending list, pause flag and lease zset
-- expiry: the lease's expiry in ms; token: the delivery token that fences the settling scripts
-- prefix: the queue's key prefix ns:{q}: (task hashes ns:{q}:t:<id> share the queue's slot)
-- Returns {-1} when a key of the queue holds a value of another type, {} when it is paused or empty,
-- else {pending tasks left, id, {field, value, ...}, ...} with the id and hash of each task taken,
-- in pending order. An id whose task hash is missing (put there by something other than Worker) is
-- leased all the same, under a hash that says so, so that the runtime archives it with that reason
-- instead of the entry stopping the queue; an id whose task key holds another type is handed over
-- unleased with a reason, and the runtime drops it. Answers -1, changing nothing, when a key of the
-- queue holds a value of another type.
local function wrong(key, kind)
	local actual = redis.call('TYPE', key).ok
	return actual ~= 'none' and actual ~= kind
end
local function take(pending, paused, lease, expiry, token, prefix, max, queue)
	if max < 1 then
		return {}
	end
	if wrong(pending, 'list') or wrong(lease, 'zset') then
		return {-1}
	end
	if redis.call('EXISTS', paused) == 1 then
		return {}
	end
	local taken = {}
	for _ = 1, max do
		local id = redis.call('LPOP', pending)
		if not id then
			break
		end
		local key = prefix .. 't:' .. id
		local kind = redis.call('TYPE', key).ok
		taken[#taken + 1] = id
		if kind ~= 'hash' and kind ~= 'none' then
			-- nothing can be kept of it: handed over unleased, to be dropped with an error and counted
			taken[#taken + 1] = { 'malformed', 'its task key holds a ' .. kind .. ', not a hash; it is dropped' }
		else
			if kind == 'none' then
				redis.call('HSET', key, 'id', id, 'queue', queue, 'malformed', 'its task hash is missing')
			end
			redis.call('HSET', key, 'state', 'active', 'token', token)
			redis.call('ZADD', lease, expiry, id)
			taken[#taken + 1] = redis.call('HGETALL', key)
		end
	end
	if #taken == 0 then
		return {}
	end
	table.insert(taken, 1, redis.call('LLEN', pending))
	return taken
end
