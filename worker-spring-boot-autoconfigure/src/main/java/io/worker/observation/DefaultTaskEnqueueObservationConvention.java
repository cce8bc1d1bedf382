package io.worker.observation;

import io.micrometer.common.KeyValues;
import io.worker.observation.TaskObservationDocumentation.HighCardinalityKeyNames;
import io.worker.observation.TaskObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default {@link TaskEnqueueObservationConvention}: named {@code worker.task.enqueue}, tagged
 * by task type and queue, spans called "{type} enqueue".
 */
public class DefaultTaskEnqueueObservationConvention implements TaskEnqueueObservationConvention {

	/** A shared instance. */
	public static final DefaultTaskEnqueueObservationConvention INSTANCE = new DefaultTaskEnqueueObservationConvention();

	@Override
	public String getName() {
		return "worker.task.enqueue";
	}

	@Override
	public String getContextualName(TaskEnqueueObservationContext context) {
		return context.getType() + " enqueue";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskEnqueueObservationContext context) {
		return KeyValues.of(LowCardinalityKeyNames.TASK_TYPE.withValue(context.getType()),
				LowCardinalityKeyNames.QUEUE.withValue(context.getQueue()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskEnqueueObservationContext context) {
		return KeyValues.of(HighCardinalityKeyNames.TASK_ID.withValue(context.getTaskId()));
	}

}
