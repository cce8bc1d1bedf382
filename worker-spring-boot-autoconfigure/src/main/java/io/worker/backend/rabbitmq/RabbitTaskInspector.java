package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The {@link TaskInspector} over RabbitMQ: queue sizes (ready messages of the queue, entries of its
 * archive), the archive listed, re-run and deleted through {@link RabbitArchive}, and cancellation
 * by broadcast. RabbitMQ cannot list or pick out waiting tasks without consuming them; those
 * operations are refused, naming the backend, and a waiting task is not found by
 * {@link #runTask} or {@link #deleteTask}, which act on archived tasks.
 */
final class RabbitTaskInspector implements TaskInspector {

	private final ConnectionFactory connectionFactory;

	private final RabbitNames names;

	private final RabbitTopology topology;

	private final RabbitCancelBroadcast cancels;

	private final RabbitArchive archive;

	private final RabbitPauses pauses;

	private final RabbitWorkerRegistry workers;

	RabbitTaskInspector(ConnectionFactory connectionFactory, RabbitNames names, RabbitTopology topology,
			RabbitCancelBroadcast cancels, RabbitArchive archive, RabbitPauses pauses, RabbitWorkerRegistry workers) {
		this.workers = workers;
		this.archive = archive;
		this.pauses = pauses;
		this.connectionFactory = connectionFactory;
		this.names = names;
		this.topology = topology;
		this.cancels = cancels;
	}

	/** The queues this instance declared, by name. */
	@Override
	public List<QueueInfo> queues() {
		Map<String, Long> active = this.workers.activeByQueue();
		return new TreeSet<>(this.topology.declaredQueues()).stream().map((queue) -> queue(queue, active)).toList();
	}

	/**
	 * Pending is the queue's ready count, active the deliveries the live workers hold (from their
	 * heartbeats, see {@link RabbitWorkerRegistry}) and archived the archive's count. The delay
	 * levels are shared by every queue: RabbitMQ counts their messages only in total (see
	 * {@link RabbitTaskBroker#delayedTasks()}), so scheduled and retry are left unknown per queue.
	 */
	@Override
	public QueueInfo queue(String queue) {
		return queue(queue, this.workers.activeByQueue());
	}

	private QueueInfo queue(String queue, Map<String, Long> active) {
		Map<TaskState, Long> sizes = new EnumMap<>(TaskState.class);
		sizes.put(TaskState.PENDING, readyCount(this.names.queue(queue)));
		sizes.put(TaskState.ACTIVE, active.getOrDefault(queue, 0L));
		sizes.put(TaskState.ARCHIVED, this.archive.count(queue));
		return new QueueInfo(queue, this.pauses.isPaused(queue), sizes, 0, 0);
	}

	/** The messages in all the delay levels together, read on one channel. */
	long delayedTasks() {
		try {
			Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
			try {
				long total = 0;
				for (int level = 0; level < RabbitNames.LEVELS; level++) {
					total += channel.queueDeclarePassive(this.names.delayLevel(level)).getMessageCount();
				}
				return total;
			}
			finally {
				if (channel.isOpen()) {
					channel.close();
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not count the tasks in RabbitMQ's delay levels under prefix '"
					+ this.names.prefix() + "': " + ex, ex);
		}
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		if (state == TaskState.ARCHIVED) {
			return this.archive.list(queue, page, size);
		}
		throw unsupported(Capability.LIST_TASKS, "listing the tasks of a queue");
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		throw unsupported(Capability.FIND_TASK, "finding a task by its id");
	}

	@Override
	public void runTask(String queue, String id) {
		this.archive.rerun(queue, id);
	}

	@Override
	public void archiveTask(String queue, String id) {
		throw unsupported(Capability.MANAGE_WAITING, "archiving a waiting task");
	}

	@Override
	public void deleteTask(String queue, String id) {
		this.archive.delete(queue, id);
	}

	@Override
	public void cancelTask(String id) {
		this.cancels.cancel(id);
	}

	@Override
	public void pauseQueue(String queue) {
		this.pauses.pause(queue);
	}

	@Override
	public void resumeQueue(String queue) {
		this.pauses.resume(queue);
	}

	/** The servers whose heartbeats are in the heartbeat stream and not expired. */
	@Override
	public List<WorkerInfo> workers() {
		return this.workers.workers();
	}

	/** The ready messages of a RabbitMQ queue, or 0 when it does not exist. */
	private long readyCount(String name) {
		try {
			Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
			try {
				return channel.queueDeclarePassive(name).getMessageCount();
			}
			finally {
				if (channel.isOpen()) {
					channel.close();
				}
			}
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof ShutdownSignalException signal
					&& signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 404) {
				// the queue was never used
				return 0;
			}
			throw new IllegalStateException("Could not read the size of RabbitMQ queue '" + name + "': " + ex, ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("RabbitMQ did not answer in time: " + ex, ex);
		}
	}

	private static UnsupportedOperationByBackendException unsupported(Capability capability, String what) {
		return new UnsupportedOperationByBackendException("rabbitmq", capability.name(), what);
	}

}
