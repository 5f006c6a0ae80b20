package org.pancat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer pulls small pages as fast as it can while the origin is written to from several threads:
 * every page it is served must be consistent (its {@code next} never above its {@code head}), so
 * not one is refused. Served a page whose head was read before its entries, a commit in between
 * made honest peers refuse 2 to 9 pages a run (50 in one run of this test, with 1 200 changes).
 */
class FeedUnderLoadIT {
  private static final int WRITERS = 4;
  private static final int WRITES_EACH = 500;

  @TempDir Path root;

  @Test
  void noPageIsRefusedWhileTheOriginIsWrittenTo() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b")) {
      a.peers(FederatedNode.peer(b, false, ""));
      b.peers(FederatedNode.peer(a, true, ""));
      b.process.env("PANCAT_FEDERATION_PAGE_SIZE", "7");
      FederationIT.startAll(a, b);
      a.registerFacility("esrf");
      String publisher = a.publisher("esrf");
      String admin = b.admin();

      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger pulls = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
      try {
        Future<?> puller =
            pool.submit(
                () -> {
                  while (writing.get()) {
                    b.as(admin).post("/api/v1/federation/peers/a/sync").then().statusCode(200);
                    pulls.incrementAndGet();
                  }
                });
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          writers.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < WRITES_EACH; i++) {
                      a.as(publisher)
                          .body(Map.of("name", "load " + writer + " " + i, "licence", "MIT"))
                          .put("/api/v1/software/esrf/load-" + writer + "-" + i)
                          .then()
                          .statusCode(201);
                    }
                  }));
        }
        for (Future<?> w : writers) {
          w.get();
        }
        writing.set(false);
        puller.get();
      } finally {
        pool.shutdownNow();
      }
      FederatedNode.await(
          "b to apply every change of a",
          Duration.ofSeconds(60),
          () -> {
            var status = b.sync("a");
            return status.getLong("entriesBehind") == 0 && status.getLong("cursor") > 0;
          },
          a,
          b);
      var status = b.status("a");
      assertEquals(0, status.getLong("refusedPages"), FederatedNode.diagnostics(a, b));
      assertEquals("ok", status.getString("state"), FederatedNode.diagnostics(a, b));
      assertTrue(
          status.getLong("applied") >= WRITERS * WRITES_EACH,
          status.prettify() + " after " + pulls.get() + " pulls");
      assertEquals(a.state(), b.state(), "b holds what a holds");
      assertTrue(pulls.get() > 10, "the peer pulled while the origin was written: " + pulls.get());

      // stopped while it indexes a page it just imported, the peer stops cleanly
      a.as(publisher)
          .body(Map.of("name", "last one", "licence", "MIT"))
          .put("/api/v1/software/esrf/last-one")
          .then()
          .statusCode(201);
      b.as(admin).post("/api/v1/federation/peers/a/sync").then().statusCode(200);
      b.process.stop();
      // (Hibernate itself may log the rollback of a page whose pull the stop cut short)
      List<String> errors =
          b.process
              .log()
              .lines()
              .filter(l -> l.contains(" ERROR [org.pancat") || l.contains("NullPointerException"))
              .toList();
      assertEquals(List.of(), errors, "a graceful stop logs no error of pancat's own");
    }
  }
}
