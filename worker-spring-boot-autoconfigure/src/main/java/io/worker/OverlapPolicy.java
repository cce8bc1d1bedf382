package io.worker;

/**
 * Whether a schedule's tick fires while the task of its previous tick has not finished.
 */
public enum OverlapPolicy {

	/** Every tick fires: the default. */
	ALLOW,

	/**
	 * A tick is skipped while the previous tick's task is still pending, scheduled, active or waiting
	 * for a retry.
	 */
	SKIP

}
