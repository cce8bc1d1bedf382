/**
 * Worker's public API: handlers, the client, the inspector and the exceptions. Nothing here
 * depends on a backend or on Spring Boot.
 */
@NullMarked
package io.worker;

import org.jspecify.annotations.NullMarked;
