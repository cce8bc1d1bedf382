/**
 * The dashboard served by Spring MVC: routes, security headers, and who may read and act.
 */
@NullMarked
package io.worker.dashboard.web;

import org.jspecify.annotations.NullMarked;
