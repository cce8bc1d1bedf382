package io.worker.dashboard;

/**
 * The application's own redaction of payloads shown on the dashboard, applied after the fields of
 * {@code worker.dashboard.masked-fields} are masked, to pages and to payload searches alike. Declare
 * one as a bean.
 */
@FunctionalInterface
public interface PayloadRedaction {

	/**
	 * The payload as the dashboard may show it.
	 * @param payload the payload, JSON text with the masked fields already replaced
	 * @return what to show
	 */
	String redact(String payload);

}
