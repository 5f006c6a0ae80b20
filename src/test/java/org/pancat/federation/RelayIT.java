package org.pancat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * c pulls only b and cannot reach a, whose entries b relays. The page carries a's public keys; c
 * uses them once it pins a's fingerprint. Until then a's entries are held (not refused, not lost)
 * while b's own entries go on; pinned by a peers-file edit the running node picks up, the held
 * entries are applied in order, and later ones of a arrive through b directly.
 */
class RelayIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path root;

  @Test
  void aNodeThatCannotReachTheOriginConvergesThroughTheRelay() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b");
        FederatedNode c = new FederatedNode(root, "c")) {
      a.peers(FederatedNode.peer(b, false, ""));
      b.peers(FederatedNode.peer(a, true, ""), FederatedNode.peer(c, false, ""));
      String unreachableA =
          "  - id: a\n    baseUrl: http://127.0.0.1:9\n    pull: false\n    keys: [%s]\n";
      c.peers(
          FederatedNode.peer(b, true, ""),
          unreachableA.formatted("sha256:" + "1".repeat(64))); // not a's key yet
      FederationIT.startAll(a, b, c);

      a.registerFacility("esrf");
      a.registerSoftware("esrf", "pyfai", '1');
      b.registerFacility("desy");
      b.registerSoftware("desy", "maxwell-tool", '2');
      FederatedNode.await(
          "b to hold a's software",
          WAIT,
          () -> b.anonymous().get("/api/v1/software/esrf/pyfai").statusCode() == 200,
          a,
          b);

      // a's entries are held on c with the reason; b's own entries are applied
      FederatedNode.await(
          "c to hold a's entries and apply b's",
          WAIT,
          () ->
              c.sync("b").getLong("heldEntries") > 0
                  && c.anonymous().get("/api/v1/software/desy/maxwell-tool").statusCode() == 200,
          b,
          c);
      var held = c.status("b");
      assertTrue(held.getString("heldReason").contains("origin a"), held.prettify());
      assertEquals(0, held.getLong("refusedPages"), held.prettify());
      assertEquals(404, c.anonymous().get("/api/v1/software/esrf/pyfai").statusCode());

      // the operator pins a's key on c; the running node picks the file up
      c.peers(FederatedNode.peer(b, true, ""), unreachableA.formatted(a.fingerprint));
      c.as(c.admin()).post("/api/v1/federation/peers/reload").then().statusCode(200);
      FederatedNode.await(
          "c to apply a's held entries with the keys b carried",
          WAIT,
          () ->
              c.sync("b").getLong("heldEntries") == 0
                  && c.anonymous().get("/api/v1/software/esrf/pyfai").statusCode() == 200,
          a,
          b,
          c);

      // later entries of a reach c through b, verified with the keys it learnt from b
      a.registerSoftware("esrf", "later-tool", '3');
      FederatedNode.await(
          "a's later software to reach c",
          WAIT,
          () -> c.anonymous().get("/api/v1/software/esrf/later-tool").statusCode() == 200,
          a,
          b,
          c);
      var status = c.status("b");
      assertEquals("ok", status.getString("state"), status.prettify());
      assertEquals(0, status.getLong("refusedPages"), status.prettify());
      assertEquals(0, status.getLong("heldEntries"), status.prettify());
    }
  }
}
