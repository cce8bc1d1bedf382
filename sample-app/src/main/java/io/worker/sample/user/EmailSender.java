package io.worker.sample.user;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Stands in for a mail server: logs each email and remembers it, so that a person can see it
 * in the log and a test can assert on it.
 */
@Component
public class EmailSender {

	private static final Logger logger = LoggerFactory.getLogger(EmailSender.class);

	private final List<SentEmail> sent = new CopyOnWriteArrayList<>();

	public void send(String to, String subject, String body) {
		logger.info("Email to {}: {}", to, subject);
		this.sent.add(new SentEmail(to, subject, body, Instant.now()));
	}

	/** The emails sent so far to one address, oldest first. */
	public List<SentEmail> sentTo(String address) {
		return this.sent.stream().filter((email) -> email.to().equals(address)).toList();
	}

	/**
	 * An email that was sent.
	 *
	 * @param to the recipient's address
	 * @param subject the subject
	 * @param body the text
	 * @param sentAt when it was sent
	 */
	public record SentEmail(String to, String subject, String body, Instant sentAt) {
	}

}
