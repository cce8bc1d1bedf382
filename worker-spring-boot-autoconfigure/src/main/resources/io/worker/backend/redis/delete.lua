-- Deletes a task that is not active, releasing its unique lock if it still holds this task's id (inspector).
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- KEYS[2] the pending list     ns:{q}:pending
-- KEYS[3] the scheduled zset   ns:{q}:scheduled
-- KEYS[4] the retry zset       ns:{q}:retry
-- KEYS[5] the archived zset    ns:{q}:archived
-- KEYS[6] the completed zset   ns:{q}:completed
-- ARGV[1] the task id
-- ARGV[2] the queue's key prefix ns:{q}: (the unique lock ns:{q}:unique:<key> shares the queue's slot)
-- Returns 1 when deleted, 0 when there is no such task, -1 when it is active.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
	return 0
end
if state == 'active' then
	return -1
end
if state == 'pending' then
	redis.call('LREM', KEYS[2], 0, ARGV[1])
else
	local from = ({ scheduled = KEYS[3], retry = KEYS[4], archived = KEYS[5], completed = KEYS[6] })[state]
	redis.call('ZREM', from, ARGV[1])
end
local unique = redis.call('HGET', KEYS[1], 'unique_key')
if unique and redis.call('HGET', ARGV[2] .. 'unique:' .. unique, 'task') == ARGV[1] then
	redis.call('DEL', ARGV[2] .. 'unique:' .. unique)
end
redis.call('DEL', KEYS[1])
return 1
