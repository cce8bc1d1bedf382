package io.worker.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.worker.BatchEnqueueException;
import io.worker.PayloadTooLargeException;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.observation.DefaultTaskEnqueueObservationConvention;
import io.worker.observation.TaskEnqueueObservationContext;
import io.worker.observation.TaskEnqueueObservationConvention;
import io.worker.observation.TaskObservationDocumentation;
import io.worker.spi.Capability;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TaskClient} of an enabled Worker: resolves each task's queue and options, writes its
 * payload, refuses what the backend cannot provide, and stores it through the backend.
 */
public final class DefaultTaskClient implements TaskClient {

	private static final Logger logger = LoggerFactory.getLogger(DefaultTaskClient.class);

	private final TaskBackend backend;

	private final TaskSettingsResolver settings;

	private final PayloadCodec codec;

	private final TaskEventListener listener;

	private final long maxPayloadBytes;

	private Limits limits = Limits.DEFAULT;

	private final Clock clock;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable TaskEnqueueObservationConvention observationConvention;

	/**
	 * @param maxPayloadBytes the largest payload accepted, in bytes
	 */
	public DefaultTaskClient(TaskBackend backend, TaskSettingsResolver settings, PayloadCodec codec,
			TaskEventListener listener, long maxPayloadBytes, Clock clock) {
		this.backend = backend;
		this.settings = settings;
		this.codec = codec;
		this.listener = listener;
		this.maxPayloadBytes = maxPayloadBytes;
		this.clock = clock;
	}

	/**
	 * Observe each enqueue, so that the enqueuing code's trace context travels in the task's headers.
	 * @param observationRegistry the registry; {@link ObservationRegistry#NOOP} by default
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/**
	 * @param observationConvention replaces {@link DefaultTaskEnqueueObservationConvention}, or
	 * {@code null}
	 */
	public void setObservationConvention(@Nullable TaskEnqueueObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	@Override
	public TaskInfo enqueue(Task task) {
		try {
			return enqueueAll(List.of(task)).get(0);
		}
		catch (BatchEnqueueException ex) {
			throw ex.failures().get(0);
		}
	}

	/**
	 * Bound batches and headers.
	 * @param limits the limits; {@link Limits#DEFAULT} until set
	 */
	public void setLimits(Limits limits) {
		this.limits = limits;
	}

	@Override
	public List<TaskInfo> enqueueAll(List<Task> tasks) {
		Instant now = this.clock.instant();
		int size = tasks.size();
		if (size > this.limits.maxBatchSize()) {
			throw new TaskEnqueueException("A batch of " + size + " tasks is more than worker.limits.max-batch-size ("
					+ this.limits.maxBatchSize() + "); nothing was enqueued: split it");
		}
		List<@Nullable TaskInfo> results = new ArrayList<>(size);
		List<@Nullable RuntimeException> failures = new ArrayList<>(size);
		List<EnqueueRequest> requests = new ArrayList<>(size);
		List<Integer> requestIndexes = new ArrayList<>(size);
		List<Observation> observations = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			results.add(null);
			failures.add(null);
			Task task = tasks.get(i);
			try {
				TaskSettings typeSettings = this.settings.resolve(task.type());
				if (!typeSettings.enabled()) {
					results.set(i, discard(task, typeSettings));
					continue;
				}
				requests.add(request(task, typeSettings, now, observations));
				requestIndexes.add(i);
			}
			catch (RuntimeException ex) {
				failures.set(i, ex);
			}
		}
		if (!requests.isEmpty()) {
			List<EnqueueResult> stored = store(requests);
			for (int j = 0; j < stored.size(); j++) {
				int i = requestIndexes.get(j);
				results.set(i, stored.get(j).info());
				failures.set(i, stored.get(j).failure());
				stop(observations.get(j), stored.get(j).failure());
			}
		}
		results.forEach((info) -> {
			if (info != null) {
				this.listener.enqueued(info);
			}
		});
		if (failures.stream().anyMatch((failure) -> failure != null)) {
			throw new BatchEnqueueException(results, failures);
		}
		List<TaskInfo> enqueued = new ArrayList<>(size);
		results.forEach((info) -> enqueued.add(info));
		return enqueued;
	}

	private List<EnqueueResult> store(List<EnqueueRequest> requests) {
		try {
			return this.backend.enqueue(requests);
		}
		catch (RuntimeException ex) {
			TaskEnqueueException failure = new TaskEnqueueException(
					"The " + this.backend.name() + " backend did not take the task: " + ex.getMessage(), ex);
			return requests.stream().map((request) -> EnqueueResult.refused(failure)).toList();
		}
	}

	/** The observation is started and added last, once nothing but the backend can refuse the task. */
	private EnqueueRequest request(Task task, TaskSettings typeSettings, Instant now, List<Observation> observations) {
		String queue = (task.queue() != null) ? task.queue() : typeSettings.queue();
		byte[] payload = payload(task);
		Instant processAt = task.dueAt(now);
		if (processAt != null && !processAt.isAfter(now)) {
			processAt = null;
		}
		require(processAt == null, Capability.DELAYED, "delayed tasks (Task.processIn, Task.processAt)");
		require(task.id() == null, Capability.EXPLICIT_IDS, "explicit task ids (Task.id)");
		require(task.uniqueFor() == null, Capability.UNIQUE, "unique tasks (Task.unique)");
		require(task.retention() == null, Capability.RETENTION, "retention of completed tasks (Task.retention)");
		String id = (task.id() != null) ? task.id() : TaskIds.next();
		String uniqueKey = (task.uniqueFor() != null) ? uniqueKey(task.type(), queue, payload) : null;
		checkHeaders(task);
		Map<String, String> headers = new LinkedHashMap<>(task.headers());
		observations.add(TaskObservationDocumentation.ENQUEUE
			.observation(this.observationConvention, DefaultTaskEnqueueObservationConvention.INSTANCE,
					() -> new TaskEnqueueObservationContext(headers, id, task.type(), queue), this.observationRegistry)
			.start());
		TaskMessage message = TaskMessage.builder(id, task.type(), queue)
			.payload(payload)
			.headers(headers)
			.maxRetries(task.maxRetries())
			.timeout(task.timeout())
			.deadline(task.deadline())
			.uniqueKey(uniqueKey)
			.uniqueTtl(task.uniqueFor())
			.retention(task.retention())
			.enqueuedAt(now)
			.key(task.key())
			.build();
		return new EnqueueRequest(message, processAt);
	}

	private static void stop(Observation observation, @Nullable RuntimeException failure) {
		if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

	private void checkHeaders(Task task) {
		if (task.headers().size() > this.limits.maxHeaders()) {
			throw new TaskEnqueueException("Task of type '" + task.type() + "' has " + task.headers().size()
					+ " headers, more than worker.limits.max-headers (" + this.limits.maxHeaders() + ")");
		}
		long bytes = 0;
		for (Map.Entry<String, String> header : task.headers().entrySet()) {
			bytes += header.getKey().getBytes(StandardCharsets.UTF_8).length
					+ header.getValue().getBytes(StandardCharsets.UTF_8).length;
		}
		if (bytes > this.limits.maxHeaderBytes()) {
			throw new TaskEnqueueException("Headers of task type '" + task.type() + "' are " + bytes
					+ " bytes, more than worker.limits.max-header-size (" + this.limits.maxHeaderBytes() + " bytes)");
		}
	}

	private byte[] payload(Task task) {
		byte[] payload;
		try {
			payload = this.codec.write(task.payload());
		}
		catch (IllegalArgumentException ex) {
			throw new TaskEnqueueException("Payload of task type '" + task.type() + "' cannot be written: "
					+ ex.getMessage(), ex);
		}
		if (payload.length > this.maxPayloadBytes) {
			throw new PayloadTooLargeException("Payload of task type '" + task.type() + "' is " + payload.length
					+ " bytes as JSON, more than worker.client.max-payload-size (" + this.maxPayloadBytes + " bytes)");
		}
		return payload;
	}

	private void require(boolean notAsked, Capability capability, String what) {
		if (!notAsked && !this.backend.capabilities().contains(capability)) {
			throw new TaskEnqueueException("The " + this.backend.name() + " backend does not support " + what
					+ " (it lacks capability " + capability + ")");
		}
	}

	private TaskInfo discard(Task task, TaskSettings typeSettings) {
		logger.debug("Discarded a task of disabled type '{}'", task.type());
		String id = (task.id() != null) ? task.id() : TaskIds.next();
		String queue = (task.queue() != null) ? task.queue() : typeSettings.queue();
		return new TaskInfo(id, task.type(), queue, TaskState.DISCARDED, null);
	}

	/** Same type, queue and payload give the same key. */
	static String uniqueKey(String type, String queue, byte[] payload) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(type.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(queue.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(payload);
			return type + ":" + HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
