package io.worker.testsupport;

/**
 * Where a test service listens.
 *
 * @param host the host name or address to connect to
 * @param port the port on that host
 */
public record ServiceAddress(String host, int port) {

	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

}
