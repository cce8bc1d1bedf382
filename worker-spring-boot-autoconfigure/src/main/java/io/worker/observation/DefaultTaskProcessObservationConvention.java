package io.worker.observation;

import java.util.Objects;

import io.micrometer.common.KeyValues;
import io.worker.observation.TaskObservationDocumentation.HighCardinalityKeyNames;
import io.worker.observation.TaskObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default {@link TaskProcessObservationConvention}: named {@code worker.task.process}, tagged
 * by task type, queue and outcome, spans called "{type} process".
 */
public class DefaultTaskProcessObservationConvention implements TaskProcessObservationConvention {

	/** A shared instance. */
	public static final DefaultTaskProcessObservationConvention INSTANCE = new DefaultTaskProcessObservationConvention();

	@Override
	public String getName() {
		return "worker.task.process";
	}

	@Override
	public String getContextualName(TaskProcessObservationContext context) {
		return context.getTask().type() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskProcessObservationContext context) {
		return KeyValues.of(LowCardinalityKeyNames.TASK_TYPE.withValue(context.getTask().type()),
				LowCardinalityKeyNames.QUEUE.withValue(context.getTask().queue()),
				LowCardinalityKeyNames.OUTCOME.withValue(Objects.requireNonNullElse(context.getOutcome(), "none")));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskProcessObservationContext context) {
		return KeyValues.of(HighCardinalityKeyNames.TASK_ID.withValue(context.getTask().taskId()));
	}

}
