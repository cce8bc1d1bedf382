// Runs one workload of the Worker benchmark on BullMQ, against the harness's Redis, and prints
// its figures as one line of JSON (a drain's also with Redis's used_memory growth per queued job). The Java harness (BullMqPeer) starts it once per measurement:
//   node bench.mjs --workload=drain --tasks=N --concurrency=C --rate=R --redis=URI --prefix=bench-<uuid>
// Every key it writes starts with the prefix; the harness deletes them afterwards.
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
	const [key, value] = arg.replace(/^--/, '').split('=');
	return [key, value];
}));
if (!args.prefix || !args.prefix.startsWith('bench')) {
	throw new Error('--prefix=bench-... is required: only keys under it are written');
}
const redis = new URL(args.redis ?? 'redis://127.0.0.1:6379');
const connection = { host: redis.hostname, port: Number(redis.port || 6379), maxRetriesPerRequest: null };
const tasks = Number(args.tasks);
const concurrency = Number(args.concurrency ?? 10);
const rate = Number(args.rate ?? 1000);
const payloadBytes = { 'drain-1kb': 1024, 'drain-64kb': 64 * 1024 }[args.workload] ?? 0;
const jobOptions = { removeOnComplete: true };
const BATCH = 1000;

/** Counts handler runs by id, as the Java harness's CompletionTracker does. */
function tracker(expected) {
	const runs = new Uint8Array(expected);
	const latencies = new Float64Array(expected);
	const state = { distinct: 0, duplicates: 0, first: Infinity, last: -Infinity, latencies, expected };
	state.done = new Promise((resolve) => {
		state.record = (id, enqueuedAt) => {
			const now = performance.now();
			if (runs[id]++ > 0) {
				state.duplicates++;
				return;
			}
			latencies[id] = now - enqueuedAt;
			state.first = Math.min(state.first, now);
			state.last = Math.max(state.last, now);
			if (++state.distinct === expected) {
				resolve();
			}
		};
	});
	return state;
}

async function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	}
	finally {
		clearTimeout(timer);
	}
}

// drain-io: each handler waits 20 ms first, standing for a call to another service
const handlerMillis = (args.workload === 'drain-io') ? 20 : 0;

function startWorker(name, counts) {
	const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
	return new Worker(name, async (job) => {
		if (handlerMillis > 0 && name !== 'warm-up') {
			await sleep(handlerMillis);
		}
		counts.record(job.data.id, job.data.t);
	}, { connection, prefix: args.prefix, concurrency });
}

async function fill(queue, count, pad) {
	for (let from = 0; from < count; from += BATCH) {
		const jobs = [];
		for (let id = from; id < Math.min(count, from + BATCH); id++) {
			jobs.push({ name: 'bench', data: { id, t: 0, pad }, opts: jobOptions });
		}
		await queue.addBulk(jobs);
	}
}

/** Redis's used_memory from INFO memory, read on a connection of its own. */
async function usedMemory() {
	const client = new Redis(connection);
	try {
		return Number(/^used_memory:(\d+)/m.exec(await client.info('memory'))[1]);
	}
	finally {
		client.disconnect();
	}
}

async function drain(name, count, pad) {
	const queue = new Queue(name, { connection, prefix: args.prefix });
	// the jobs are queued with no worker running, so the growth is what the queued jobs hold
	const before = await usedMemory();
	await fill(queue, count, pad);
	const perJob = (await usedMemory() - before) / count;
	const counts = tracker(count);
	const worker = startWorker(name, counts);
	await withTimeout(counts.done, 60_000 + count * 2, 'drain');
	await worker.close();
	await queue.close();
	return { counts, perJob };
}

async function enqueue(queue, producers, batched) {
	const size = Math.ceil(tasks / producers);
	const start = performance.now();
	await Promise.all(Array.from({ length: producers }, async (_, p) => {
		const ids = [];
		for (let id = p * size; id < Math.min(tasks, (p + 1) * size); id++) {
			ids.push(id);
		}
		if (batched) {
			for (let from = 0; from < ids.length; from += BATCH) {
				await queue.addBulk(ids.slice(from, from + BATCH)
					.map((id) => ({ name: 'bench', data: { id, t: 0, pad: '' }, opts: jobOptions })));
			}
		}
		else {
			for (const id of ids) {
				await queue.add('bench', { id, t: 0, pad: '' }, jobOptions);
			}
		}
	}));
	return { throughput: tasks * 1000 / (performance.now() - start) };
}

async function latency(name) {
	const queue = new Queue(name, { connection, prefix: args.prefix });
	const counts = tracker(tasks);
	const worker = startWorker(name, counts);
	await worker.waitUntilReady();
	const interval = 1000 / rate;
	const start = performance.now();
	for (let id = 0; id < tasks; id++) {
		// a fixed schedule: a late enqueue is followed at once by the next
		const wait = start + id * interval - performance.now();
		if (wait > 0) {
			await new Promise((resolve) => setTimeout(resolve, wait));
		}
		await queue.add('bench', { id, t: performance.now(), pad: '' }, jobOptions);
	}
	await withTimeout(counts.done, 60_000 + tasks * 2, 'latency');
	await worker.close();
	await queue.close();
	const sorted = Array.from(counts.latencies).sort((a, b) => a - b);
	const at = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
	return { counts, latency: { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] } };
}

function exactlyOnce(counts) {
	if (counts.distinct !== counts.expected || counts.duplicates !== 0) {
		throw new Error(`${counts.distinct} of ${counts.expected} tasks ran, ${counts.duplicates} more than once`);
	}
	return counts;
}

async function run() {
	// warm the JIT on the same code paths before measuring, as the Java harness does
	exactlyOnce((await drain('warm-up', 5000, '')).counts);
	const queue = new Queue('bench', { connection, prefix: args.prefix });
	try {
		switch (args.workload) {
			case 'enqueue-1': return await enqueue(queue, 1, false);
			case 'enqueue-8': return await enqueue(queue, 8, false);
			case 'enqueue-batch': return await enqueue(queue, 1, true);
			case 'drain': case 'drain-1kb': case 'drain-64kb': case 'drain-io': case 'scale': {
				const { counts, perJob } = await drain('drain', tasks, 'x'.repeat(payloadBytes));
				exactlyOnce(counts);
				return { throughput: (tasks - 1) * 1000 / (counts.last - counts.first), brokerBytesPerTask: perJob };
			}
			case 'latency': {
				const { counts, latency: figures } = await latency('latency');
				exactlyOnce(counts);
				return { throughput: (tasks - 1) * 1000 / (counts.last - counts.first), latency: figures };
			}
			default: throw new Error(`Unknown workload ${args.workload}`);
		}
	}
	finally {
		await queue.close();
	}
}

const result = await run();
result.rssBytes = process.memoryUsage().rss;
console.log(JSON.stringify(result));
