package org.pancat.kernel;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A write that checks, then inserts: under parallel identical requests two transactions can both
 * find nothing and both insert, and the database refuses the second with a unique-key violation.
 * Such a method is run again in a new transaction ({@link ConflictRetry}), where it sees the row
 * the winner committed and answers as for any repeated request (200 when identical, 409 when not).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RetriedOnConflict {}
