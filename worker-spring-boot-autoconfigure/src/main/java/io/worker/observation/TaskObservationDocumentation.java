package io.worker.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The Observations Worker makes: enqueueing a task and processing one attempt of it.
 */
public enum TaskObservationDocumentation implements ObservationDocumentation {

	/** A client stores a task; its trace context is written into the task's headers. */
	ENQUEUE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskEnqueueObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.TASK_TYPE, LowCardinalityKeyNames.QUEUE };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	},

	/** A worker runs one attempt of a task; its trace continues the one read from the headers. */
	PROCESS {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskProcessObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/** Keys with few values, fit for metrics' tags. */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The task's type. */
		TASK_TYPE {
			@Override
			public String asString() {
				return "task.type";
			}
		},

		/** The task's queue. */
		QUEUE {
			@Override
			public String asString() {
				return "task.queue";
			}
		},

		/** How the attempt's handler ended: {@code success} or {@code failure}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** Keys with a value per task: for spans only. */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The task's id. */
		TASK_ID {
			@Override
			public String asString() {
				return "task.id";
			}
		}

	}

}
