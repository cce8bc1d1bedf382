package io.worker;

/**
 * Thrown by the {@link TaskInspector} for an operation that the configured backend cannot do, such
 * as listing the pending tasks of a push broker. Nothing was changed. Its message names the backend
 * and the capability it lacks; see the backend × feature table in the README.
 */
public class UnsupportedOperationByBackendException extends WorkerException {

	private final String backend;

	private final String capability;

	/**
	 * @param backend the backend's name, such as {@code "kafka"}
	 * @param capability the name of the capability it lacks, such as {@code "LIST_TASKS"}
	 * @param operation what was asked, such as {@code "listing pending tasks"}
	 */
	public UnsupportedOperationByBackendException(String backend, String capability, String operation) {
		super("The " + backend + " backend does not support " + operation + " (it lacks capability " + capability
				+ ")");
		this.backend = backend;
		this.capability = capability;
	}

	/** The name of the backend that refused the operation. */
	public String getBackend() {
		return this.backend;
	}

	/** The name of the capability the backend lacks. */
	public String getCapability() {
		return this.capability;
	}

}
