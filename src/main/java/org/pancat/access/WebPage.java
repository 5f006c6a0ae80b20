package org.pancat.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class whose methods are web pages: only they read the reader's sign-in session
 * (cookies). Everything else, the API above all, takes bearer tokens only. Decided by the resource
 * a request was routed to, not by its path, so no spelling of a path can carry a session to the
 * API.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WebPage {}
