-- Deletes a queue's completed tasks past their retention and archived tasks past the archive's caps,
-- releasing unique locks still held by a deleted task.
-- KEYS[1] the completed zset   ns:{q}:completed
-- KEYS[2] the archived zset    ns:{q}:archived
-- ARGV[1] now in ms
-- ARGV[2] the oldest archive time kept, in ms
-- ARGV[3] the most archived tasks kept
-- ARGV[4] the most tasks to delete from each zset
-- ARGV[5] the queue's key prefix ns:{q}: (task hashes and unique locks share the queue's slot)
-- Returns how many tasks were deleted, or -1.
-- Answers -1, changing nothing, when a key of the queue holds a value of another type.
local function wrong(key, kind)
	local actual = redis.call('TYPE', key).ok
	return actual ~= 'none' and actual ~= kind
end
if wrong(KEYS[1], 'zset') or wrong(KEYS[2], 'zset') then
	return -1
end
local function drop(zset, ids)
	for _, id in ipairs(ids) do
		local key = ARGV[5] .. 't:' .. id
		local unique = redis.call('HGET', key, 'unique_key')
		if unique and redis.call('HGET', ARGV[5] .. 'unique:' .. unique, 'task') == id then
			redis.call('DEL', ARGV[5] .. 'unique:' .. unique)
		end
		redis.call('DEL', key)
	end
	if #ids > 0 then
		redis.call('ZREM', zset, unpack(ids))
	end
	return #ids
end
local batch = tonumber(ARGV[4])
local deleted = drop(KEYS[1], redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, batch))
deleted = deleted + drop(KEYS[2], redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2], 'LIMIT', 0, batch))
local excess = math.min(redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3]), batch)
if excess > 0 then
	deleted = deleted + drop(KEYS[2], redis.call('ZRANGE', KEYS[2], 0, excess - 1))
end
return deleted
