-- Stores the progress a running task reported, if the caller's delivery still holds its lease.
-- KEYS[1] the task hash        ns:{q}:t:<id>
-- ARGV[1] the delivery token
-- ARGV[2] the progress in percent
-- ARGV[3] the progress message, or '' for none
-- Returns 1 when stored, 0 when the lease was lost.
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
	return 0
end
redis.call('HSET', KEYS[1], 'progress', ARGV[2])
if ARGV[3] == '' then
	redis.call('HDEL', KEYS[1], 'progress_msg')
else
	redis.call('HSET', KEYS[1], 'progress_msg', ARGV[3])
end
return 1
