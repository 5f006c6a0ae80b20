package org.pancat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A facility joins a running federation of three in one step on the new node (its key made offline
 * with {@code keys init}, a peers file naming the node it pulls) and one on that peer (one entry in
 * its peers file, picked up without a restart). Nobody else edits anything: the others pin the new
 * origin because the hub they let vouch vouches for it, and the new node pins theirs the same way.
 */
class JoinIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String VOUCHES = "    vouchesForOrigins: true\n";

  @TempDir Path root;

  @Test
  void aNewFacilityJoinsInOneStepOnItsNodeAndOneOnThePeerItPulls() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b");
        FederatedNode c = new FederatedNode(root, "c");
        FederatedNode d = new FederatedNode(root, "d", true)) {
      // a running federation: b is the hub; a and c pin only b, and let it vouch for origins
      a.peers(FederatedNode.peer(b, true, VOUCHES));
      b.peers(FederatedNode.peer(a, true, ""), FederatedNode.peer(c, true, ""));
      c.peers(FederatedNode.peer(b, true, VOUCHES));
      FederationIT.startAll(a, b, c);
      a.registerFacility("esrf");
      a.registerSoftware("esrf", "pyfai", '1');
      c.registerFacility("psi");
      c.registerSoftware("psi", "davinci", '2');
      awaitSoftware(c, "esrf/pyfai", a, b, c);
      awaitSoftware(a, "psi/davinci", a, b, c);

      // step on the new node: its key was made by keys init; its peers file names the hub
      d.peers(FederatedNode.peer(b, true, VOUCHES));
      d.process.start();
      d.registerFacility("ill");
      d.registerSoftware("ill", "mantid", '3');

      // step on the hub: one entry for the new node; the running hub reads its peers file again
      Path hubPeers = b.home.resolve("peers.yaml");
      Files.writeString(hubPeers, Files.readString(hubPeers) + FederatedNode.peer(d, true, ""));

      for (FederatedNode node : List.of(a, b, c)) {
        awaitSoftware(node, "ill/mantid", a, b, c, d);
      }
      awaitSoftware(d, "esrf/pyfai", a, b, c, d);
      awaitSoftware(d, "psi/davinci", a, b, c, d);

      var vouched =
          c.as(c.admin()).get("/api/v1/federation/peers-file").then().statusCode(200).extract();
      assertEquals("b", vouched.path("vouchedOrigins.find { it.id == 'd' }.vouchedBy"));
      assertEquals(
          List.of(d.fingerprint), vouched.path("vouchedOrigins.find { it.id == 'd' }.keys"));
      for (FederatedNode node : List.of(a, c, d)) {
        var status = node.status("b");
        assertEquals(0, status.getLong("refusedPages"), status.prettify());
        assertEquals(0, status.getLong("heldEntries"), status.prettify());
      }
      assertTrue(
          d.as(d.admin())
              .get("/api/v1/federation/peers-file")
              .then()
              .extract()
              .jsonPath()
              .getList("vouchedOrigins.id")
              .containsAll(List.of("a", "c")));
    }
  }

  private static void awaitSoftware(FederatedNode on, String software, FederatedNode... all)
      throws Exception {
    FederatedNode.await(
        software + " to reach " + on.id,
        WAIT,
        () -> on.anonymous().get("/api/v1/software/" + software).statusCode() == 200,
        all);
  }
}
