package org.pancat.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which imported changes this node already holds: a page read in order skips the per-key lookup,
 * one that reaches back into what is held still finds every superseded key. Each case runs in a
 * transaction rolled back at its end, so the log other tests read is untouched.
 */
@QuarkusTest
class ChangeLogImportTest {
  private static final String ORIGIN = "held-test-origin";

  @Inject ChangeLog log;
  @Inject UserTransaction transaction;

  @Test
  void pageAfterEverythingHeldFindsNothing() {
    inRolledBackTransaction(
        () -> {
          holdAt(10, "x/a");
          holdAt(11, "x/b");
          assertEquals(
              Map.of(), log.latestOriginSeqs(List.of(change(12, "x/a"), change(13, "x/c"))));
        });
  }

  @Test
  void pageReachingBackFindsTheKeysHeldAtOrAfterIt() {
    inRolledBackTransaction(
        () -> {
          holdAt(10, "x/a");
          holdAt(11, "x/b");
          holdAt(12, "x/b");
          Map<String, Long> held =
              log.latestOriginSeqs(List.of(change(11, "x/b"), change(20, "x/d")));
          assertEquals(Map.of(key("x/b"), 12L), held);
        });
  }

  @Test
  void otherOriginsDoNotCount() {
    inRolledBackTransaction(
        () -> {
          holdAt(50, "x/a");
          Change elsewhere =
              new Change(
                  0,
                  Change.Op.upsert,
                  "software",
                  "x/a",
                  null,
                  "t",
                  Instant.now(),
                  JsonNodeFactory.instance.objectNode(),
                  "",
                  "another-origin",
                  1L,
                  "sig");
          assertEquals(Map.of(), log.latestOriginSeqs(List.of(elsewhere)));
        });
  }

  private void holdAt(long originSeq, String id) {
    Change change = change(originSeq, id);
    log.appendImported(change, change.body().toString());
  }

  private static Change change(long originSeq, String id) {
    return new Change(
        0,
        Change.Op.upsert,
        "software",
        id,
        null,
        "test",
        Instant.now(),
        JsonNodeFactory.instance.objectNode().put("id", id),
        "",
        ORIGIN,
        originSeq,
        "signature");
  }

  private static String key(String id) {
    return ChangeLog.key(ORIGIN, "software", id, null, "");
  }

  private void inRolledBackTransaction(Runnable work) {
    try {
      transaction.begin();
      try {
        work.run();
      } finally {
        transaction.rollback();
      }
    } catch (jakarta.transaction.NotSupportedException | jakarta.transaction.SystemException e) {
      throw new IllegalStateException(e);
    }
  }
}
