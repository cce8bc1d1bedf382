package io.worker.readme;

// README, quick start
public interface EmailSender {

	void send(String to, String subject);

}
