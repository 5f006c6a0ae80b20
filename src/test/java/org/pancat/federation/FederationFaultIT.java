package org.pancat.federation;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between two real nodes: node b pulls node a. A peer serving tampered pages (through a
 * proxy that alters a's answers) is refused with the reason on b's status and nothing applied; b
 * killed in the middle of a sync loses nothing and applies nothing twice; a peer that was down is
 * caught up with; a peer whose log went back (restored from a backup) is refused.
 */
class FederationFaultIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path root;

  /** Forwards b's requests to a, altering feed pages as the current mode says. */
  static final class TamperingProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, String> served = new HashMap<>();
    volatile UnaryOperator<String> pages = UnaryOperator.identity();
    volatile UnaryOperator<String> snapshots = UnaryOperator.identity();

    TamperingProxy(String target) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            String pathAndQuery = exchange.getRequestURI().toString();
            HttpRequest.Builder forward =
                HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
              forward.header("Authorization", auth);
            }
            byte[] body;
            int status;
            try {
              HttpResponse<String> response =
                  client.send(forward.build(), HttpResponse.BodyHandlers.ofString());
              status = response.statusCode();
              String text = response.body();
              if (pathAndQuery.startsWith("/api/v1/federation/changes") && status == 200) {
                served.putIfAbsent(pathAndQuery, text);
                text = pages.apply(text);
              } else if (pathAndQuery.startsWith("/api/v1/federation/snapshot") && status == 200) {
                text = snapshots.apply(text);
              }
              body = text.getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
              status = 502;
              body = new byte[0];
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              exchange.getResponseBody().write(body);
            }
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The first page a served for a cursor, as recorded. */
    String firstServed() {
      return served.entrySet().stream()
          .filter(e -> e.getKey().contains("after=0&"))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElseThrow();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void tamperedPagesAreRefusedWithTheReasonAndNothingApplied() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b");
        FederatedNode c = new FederatedNode(root, "c");
        TamperingProxy proxy = new TamperingProxy(a.process.baseUrl())) {
      // a knows b and c (pinned) to accept their signed pulls, without pulling them
      a.peers(FederatedNode.peer(b, false, ""), FederatedNode.peer(c, false, ""));
      String throughProxy =
          "  - id: a\n    baseUrl: "
              + proxy.url()
              + "\n    keys: ["
              + a.fingerprint
              + "]\n    interval: PT1H\n";
      b.peers(throughProxy);
      c.peers(throughProxy);
      // b reads a's feed from its start (these attacks are on pages); c starts from a's snapshot
      b.process.env("PANCAT_FEDERATION_BOOTSTRAP_FROM_SNAPSHOT", "false");
      // b pulls only when the test says so, and until then every page is refused
      a.process.env("PANCAT_FEDERATION_NOTIFY_PEERS", "false");
      proxy.pages = FederationFaultIT::flipSignatureByte;
      FederationIT.startAll(a, b);
      a.registerFacility("esrf");
      a.registerSoftware("esrf", "pyfai", '1');

      ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID("impostor").generate();
      ECKey sameKid =
          new ECKeyGenerator(Curve.P_256).keyID(a.jwks().getKeys().get(0).getKeyID()).generate();
      // a flipped byte; a's key id over another key; an unknown key; an entry altered in transit
      List<Map.Entry<String, UnaryOperator<String>>> attacks =
          List.of(
              Map.entry("page signature does not verify", FederationFaultIT::flipSignatureByte),
              Map.entry("page signature does not verify", page -> resign(page, sameKid)),
              Map.entry("signed with an unknown key", page -> resign(page, impostor)),
              Map.entry("page signature does not verify", FederationFaultIT::alterEntry));
      for (Map.Entry<String, UnaryOperator<String>> attack : attacks) {
        proxy.pages = attack.getValue();
        long refusedBefore = b.status("a").getLong("refusedPages");
        JsonPath status = b.sync("a");
        assertTrue(
            status.getString("lastErrorReason").contains(attack.getKey()),
            status.getString("lastErrorReason"));
        // (b's own first scheduled pull may be refused alongside)
        assertTrue(status.getLong("refusedPages") > refusedBefore, status.prettify());
        assertEquals(0, status.getLong("cursor"), "nothing applied");
        // a stuck peer shows as refusing, with how far behind it really is
        assertEquals("refusing", status.getString("state"), status.prettify());
        assertTrue(status.getLong("entriesBehind") > 0, status.prettify());
        b.anonymous().get("/api/v1/software/esrf/pyfai").then().statusCode(404);
      }

      proxy.pages = UnaryOperator.identity();
      JsonPath applied = b.sync("a");
      assertTrue(applied.getLong("cursor") > 0);
      b.anonymous().get("/api/v1/software/esrf/pyfai").then().statusCode(200);

      // the first page again, for the cursor b has now: a replay
      a.registerSoftware("esrf", "later", '2');
      long cursor = applied.getLong("cursor");
      proxy.pages = page -> proxy.firstServed();
      JsonPath replayed = b.sync("a");
      assertTrue(
          replayed.getString("lastErrorReason").contains("replayed or rolled back"),
          replayed.getString("lastErrorReason"));
      assertEquals(cursor, replayed.getLong("cursor"));
      b.anonymous().get("/api/v1/software/esrf/later").then().statusCode(404);

      proxy.pages = UnaryOperator.identity();
      b.sync("a");
      b.anonymous().get("/api/v1/software/esrf/later").then().statusCode(200);
      b.as(b.admin())
          .get("/api/v1/federation/peers")
          .then()
          .body("items[0].lastErrorReason", containsString("replayed"));

      // a snapshot with one entry line altered in transit: refused whole, nothing applied
      proxy.snapshots = snapshot -> snapshot.replaceFirst("(\n[^\n]*esrf/)pyfai", "$1pyfaj");
      c.process.start();
      JsonPath refused = c.sync("a");
      assertTrue(
          refused.getString("lastErrorReason").contains("do not match its signed trailer"),
          refused.prettify());
      assertEquals(0, refused.getLong("cursor"), "nothing applied");
      c.anonymous().get("/api/v1/software/esrf/pyfai").then().statusCode(404);
      proxy.snapshots = UnaryOperator.identity();
      JsonPath bootstrapped = c.sync("a");
      assertTrue(bootstrapped.getLong("bootstrapSeq") > 0, bootstrapped.prettify());
      c.anonymous().get("/api/v1/software/esrf/later").then().statusCode(200);
    }
  }

  @Test
  void crashMidSyncDownPeerAndRestoredPeerAreHandled() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b");
        FederatedNode c = new FederatedNode(root, "c")) {
      a.peers(FederatedNode.peer(b, false, ""), FederatedNode.peer(c, false, ""));
      b.peers(FederatedNode.peer(a, true, ""));
      c.peers(FederatedNode.peer(a, true, ""));
      // one entry per page (or snapshot part), so a sync spans hundreds of transactions; b reads
      // a's feed from its start, c starts from a's snapshot
      b.process.env("PANCAT_FEDERATION_PAGE_SIZE", "1");
      b.process.env("PANCAT_FEDERATION_BOOTSTRAP_FROM_SNAPSHOT", "false");
      c.process.env("PANCAT_FEDERATION_PAGE_SIZE", "1");
      a.process.start();
      a.registerFacility("esrf");
      for (int i = 0; i < 150; i++) {
        a.as(a.publisher("esrf"))
            .body(Map.of("name", "tool " + i, "licence", "MIT"))
            .put("/api/v1/software/esrf/tool-" + i)
            .then()
            .statusCode(201);
      }
      long head = a.snapshot().seq();

      killMidSyncAndRecover(
          a,
          b,
          () -> {
            long cursor = b.status("a").getLong("cursor");
            return cursor > 0 && cursor < head;
          });

      // killed part-way through a snapshot: the cursor is still 0, the next pull starts the
      // snapshot again and skips what is already here
      killMidSyncAndRecover(
          a,
          c,
          () -> {
            JsonPath s = c.status("a");
            return s.getLong("applied") > 0 && s.getLong("cursor") == 0;
          });
      assertTrue(c.status("a").getLong("bootstrapSeq") > 0);
      c.process.stop();

      // a peer down for a while: b reports it, then catches up when it is back
      b.process.stop();
      a.registerSoftware("esrf", "while-b-was-down", '7');
      a.process.stop();
      Path backup = root.resolve("a-backup");
      a.process.backup(backup);
      b.process.start();
      JsonPath down = b.sync("a");
      assertTrue(down.getString("lastErrorReason").contains("unreachable"), down.prettify());
      assertEquals("unreachable", down.getString("state"), down.prettify());
      a.process.start();
      FederatedNode.await(
          "b to catch up with a after it came back",
          WAIT,
          () -> FederationIT.safeState(b).equals(FederationIT.safeState(a)),
          a,
          b);
      assertNothingAppliedTwice(b);

      // a is restored from an older backup: its log went back, b refuses and keeps its state
      a.registerSoftware("esrf", "after-the-backup", '8');
      FederatedNode.await(
          "b to see the last change",
          WAIT,
          () -> FederationIT.safeState(b).equals(FederationIT.safeState(a)),
          a,
          b);
      Set<String> before = b.state();
      a.process.stop();
      a.process.restore(backup);
      a.process.start();
      JsonPath rolledBack = b.sync("a");
      assertTrue(
          rolledBack.getString("lastErrorReason").contains("sequence went back"),
          rolledBack.prettify());
      assertEquals(before, b.state(), "nothing applied");
    }
  }

  @Test
  void aPeersFileThatDoesNotValidateStopsTheNodeWithTheReason() throws Exception {
    try (FederatedNode a = new FederatedNode(root, "a");
        FederatedNode b = new FederatedNode(root, "b")) {
      a.peers(FederatedNode.peer(b, true, "    import:\n      techniques: [no-such-technique]\n"));
      IllegalStateException unknownTerm =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class, () -> a.process.start());
      assertTrue(
          unknownTerm.getMessage().contains("peers file: peer b")
              && unknownTerm.getMessage().contains("no-such-technique"),
          unknownTerm.getMessage());
      a.peers("  - id: b\n    baseUrl: " + b.process.baseUrl() + "\n");
      IllegalStateException unpinned =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class, () -> a.process.start());
      assertTrue(
          unpinned.getMessage().contains("pin at least one key fingerprint"),
          unpinned.getMessage());
    }
  }

  /** Every change b imported from a is in b's log exactly once. */
  /**
   * Starts {@code node}, kills it once {@code inTheMiddle} holds, starts it again and waits for it
   * to hold a's state, with nothing applied twice.
   */
  private static void killMidSyncAndRecover(
      FederatedNode a, FederatedNode node, BooleanSupplier inTheMiddle) throws Exception {
    node.process.start();
    FederatedNode.await(node.id + " to be in the middle of its sync", WAIT, inTheMiddle, node);
    node.process.kill();
    node.process.start();
    FederatedNode.await(
        node.id + " to catch up after the crash",
        WAIT,
        () -> FederationIT.safeState(node).equals(FederationIT.safeState(a)),
        a,
        node);
    assertNothingAppliedTwice(node);
  }

  private static void assertNothingAppliedTwice(FederatedNode b) {
    List<Object> originSeqs = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonPath page =
          b.as(b.admin())
              .queryParam("after", after)
              .queryParam("limit", 1000)
              .get("/api/v1/changes")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      if (items.isEmpty()) {
        break;
      }
      items.stream()
          .filter(c -> "a".equals(c.get("origin")))
          .forEach(c -> originSeqs.add(c.get("originSeq")));
      after = page.getLong("next");
    }
    assertTrue(originSeqs.size() > 150, "imported: " + originSeqs.size());
    assertEquals(Set.copyOf(originSeqs).size(), originSeqs.size(), "an entry applied twice");
  }

  private static String flipSignatureByte(String compact) {
    char[] chars = compact.toCharArray();
    int i = chars.length - 10;
    chars[i] = chars[i] == 'A' ? 'B' : 'A';
    return new String(chars);
  }

  /** The same page payload signed by another key, under the given key id. */
  private static String resign(String compact, ECKey key) {
    try {
      JWSObject original = JWSObject.parse(compact);
      JWSObject forged =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(key.getKeyID())
                  .type(original.getHeader().getType())
                  .build(),
              original.getPayload());
      forged.sign(new ECDSASigner(key));
      return forged.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An entry's body altered in transit under a's page signature. (A relay that re-signs an altered
   * page with its own key is caught by the origin signature: FeedVerifierTest.)
   */
  private static String alterEntry(String compact) {
    try {
      JWSObject original = JWSObject.parse(compact);
      String payload = original.getPayload().toString().replace("pyfai", "evil");
      String[] parts = compact.split("\\.");
      return parts[0] + "." + new Payload(payload).toBase64URL().toString() + "." + parts[2];
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
