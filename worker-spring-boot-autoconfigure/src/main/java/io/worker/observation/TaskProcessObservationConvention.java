package io.worker.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the {@link TaskObservationDocumentation#PROCESS} observation; declare a
 * bean to replace {@link DefaultTaskProcessObservationConvention}.
 */
public interface TaskProcessObservationConvention extends ObservationConvention<TaskProcessObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskProcessObservationContext;
	}

}
