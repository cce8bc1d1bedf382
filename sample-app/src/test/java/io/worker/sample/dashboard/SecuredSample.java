package io.worker.sample.dashboard;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security for {@link DashboardSecurityTests}: every request authenticated (basic or form
 * login, CSRF on), a viewer with {@code WORKER_VIEWER} and an operator with {@code WORKER_OPERATOR}.
 * A top-level class, not a nested one, so that {@code -Dtest='Dashboard*'} does not load it in the
 * surefire execution without Spring Security.
 */
@TestConfiguration
class SecuredSample {

	@Bean
	SecurityFilterChain dashboardSecurity(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults())
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("viewer").password("{noop}secret").authorities("WORKER_VIEWER").build(),
				User.withUsername("operator").password("{noop}secret").authorities("WORKER_OPERATOR").build());
	}

}
