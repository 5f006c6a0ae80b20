package org.pancat.kernel;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.pancat.problem.ProblemException;
import org.pancat.problem.ProblemType;

/**
 * Runs a {@link RetriedOnConflict} method again when its transaction lost a race: a unique-key
 * violation, a deadlock or a serialization failure, on H2 or PostgreSQL. It sits outside the
 * transaction interceptor, so each attempt is a whole new transaction (on PostgreSQL a failed
 * statement spoils the rest of its transaction). Inside a caller's transaction it does nothing: the
 * caller's transaction is the unit that must be retried, not this call.
 */
@RetriedOnConflict
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class ConflictRetry {
  private static final Logger LOG = Logger.getLogger(ConflictRetry.class);
  static final int ATTEMPTS = 8;

  /** SQLSTATEs of lost races: unique violation, serialization failure, PostgreSQL deadlock. */
  private static final Set<String> LOST_RACE = Set.of("23505", "40001", "40P01");

  /** H2's lock timeout (HYT00, error 50200) is a lost race too; its SQLSTATE is generic. */
  private static final int H2_LOCK_TIMEOUT = 50200;

  private final TransactionManager transactions;

  ConflictRetry(TransactionManager transactions) {
    this.transactions = transactions;
  }

  @AroundInvoke
  Object retry(InvocationContext call) throws Exception {
    if (inTransaction()) {
      return call.proceed();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return call.proceed();
      } catch (Exception e) {
        if (!lostRace(e)) {
          throw e;
        }
        if (attempt >= ATTEMPTS) {
          // the same entity keeps being written concurrently: the client may simply try again
          throw new ProblemException(
              ProblemType.SERVICE_UNAVAILABLE,
              "concurrent writes to the same entity kept conflicting; nothing was changed,"
                  + " try again",
              List.of(),
              Map.of(),
              Map.of("Retry-After", "1"));
        }
        LOG.debugf(
            "%s lost a race with a concurrent write (attempt %d); running it again",
            call.getMethod().getName(), attempt);
        Thread.sleep(ThreadLocalRandom.current().nextLong(2, 10L * attempt));
      }
    }
  }

  private boolean inTransaction() throws SystemException {
    return transactions.getStatus() != Status.STATUS_NO_TRANSACTION;
  }

  /** Whether anything in the cause chain (or suppressed) is a lost race. */
  static boolean lostRace(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> todo = new ArrayDeque<>();
    todo.add(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof SQLException sql
          && (LOST_RACE.contains(sql.getSQLState()) || sql.getErrorCode() == H2_LOCK_TIMEOUT)) {
        return true;
      }
      if (t instanceof OptimisticLockException) {
        return true;
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      if (t instanceof SQLException sql && sql.getNextException() != null) {
        todo.add(sql.getNextException());
      }
      todo.addAll(List.of(t.getSuppressed()));
    }
    return false;
  }
}
