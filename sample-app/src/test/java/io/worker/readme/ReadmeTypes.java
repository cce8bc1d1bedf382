package io.worker.readme;

import java.time.LocalDate;
import java.util.List;

/**
 * The payloads and collaborators the README's snippets name beyond the quick start's.
 */
final class ReadmeTypes {

	private ReadmeTypes() {
	}

	record User(long id, String email, String name) {
	}

	record DataExport(long userId) {
	}

	record UserReport(long userId) {
	}

	record DailyReport(LocalDate day) {
	}

	record PasswordResetEmail(String email, String link) {
	}

	record UserExport(long userId, List<String> emails) {
	}

	interface UserExporter {

		UserExport export(long userId);

	}

	static class InvalidAddressException extends RuntimeException {

		InvalidAddressException(String message) {
			super(message);
		}

	}

}
