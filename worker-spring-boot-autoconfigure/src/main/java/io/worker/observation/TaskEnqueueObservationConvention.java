package io.worker.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the {@link TaskObservationDocumentation#ENQUEUE} observation; declare a
 * bean to replace {@link DefaultTaskEnqueueObservationConvention}.
 */
public interface TaskEnqueueObservationConvention extends ObservationConvention<TaskEnqueueObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskEnqueueObservationContext;
	}

}
