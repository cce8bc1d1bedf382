package io.worker.spi;

import io.worker.WorkerException;

/**
 * A broker cannot honour a worker server setting (for example strict priority): thrown from
 * {@link TaskBroker#start}, so the application fails at startup instead of ignoring the setting.
 */
public class UnsupportedSettingException extends WorkerException {

	private final String property;

	/**
	 * @param backend the backend's name
	 * @param property the configuration property that asks for what the backend cannot do
	 * @param reason why it cannot
	 */
	public UnsupportedSettingException(String backend, String property, String reason) {
		super("The " + backend + " backend cannot honour " + property + ": " + reason);
		this.property = property;
	}

	/** The configuration property that asks for what the backend cannot do. */
	public String property() {
		return this.property;
	}

}
