package io.worker.bench.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the worker JVMs and a broker, which the harness can cut: {@link #cut()}
 * closes every connection through it and closes at once every connection made while cut, as a
 * network partition seen by the client as resets; {@link #restore()} lets connections through again.
 * One thread accepts; each connection has two copying threads.
 */
public final class TcpProxy implements AutoCloseable {

	private final int upstreamPort;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	/** Listen on {@code 127.0.0.1:listenPort} and forward to {@code 127.0.0.1:upstreamPort}. */
	public TcpProxy(int listenPort, int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.server = new ServerSocket();
		this.server.setReuseAddress(true);
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
		Thread acceptor = new Thread(this::accept, "proxy-" + listenPort);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** Cut the network: drop every connection now, and every one attempted until {@link #restore()}. */
	public void cut() {
		this.cut = true;
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	/** Let connections through again. */
	public void restore() {
		this.cut = false;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket upstream;
				try {
					upstream = new Socket(InetAddress.getLoopbackAddress(), this.upstreamPort);
				}
				catch (IOException ex) {
					// the broker is down: the client sees its connection refused-like reset
					closeQuietly(client);
					continue;
				}
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				if (this.server.isClosed()) {
					return;
				}
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
			}
			catch (SocketException ex) {
				// closed by cut(), by the peer or by the other direction
			}
			catch (IOException ex) {
				// as above: the connection is over either way
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "proxy-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	private void closeQuietly(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		cut();
	}

}
