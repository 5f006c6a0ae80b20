package org.pancat.federation;

import com.nimbusds.jose.JOSEObjectType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pancat.changelog.Change;
import org.pancat.changelog.ChangeLog;
import org.pancat.kernel.CanonicalJson;

/**
 * A bootstrap snapshot: the latest entry of every key as of one seq, streamed as JSON lines.
 *
 * <p>Line 1 is a JWS header {@code {node, seq, at}}; then one feed entry per line, each with its
 * origin's signature; the last line is a JWS trailer {@code {node, seq, entries, sha256}} whose
 * digest covers every entry line (each followed by a newline), so a truncated, reordered or altered
 * stream is refused. Entries are read in batches, each in its own transaction; the log is
 * append-only, so reading up to the header's seq is consistent however long the stream takes.
 */
@ApplicationScoped
public class SnapshotExporter {
  static final JOSEObjectType SNAPSHOT_TYPE = new JOSEObjectType("pancat-snapshot+json");
  private static final int BATCH = 1000;

  private final ChangeLog changeLog;
  private final FeedExporter feed;
  private final NodeKeys keys;
  private final Clock clock = Clock.systemUTC();

  SnapshotExporter(ChangeLog changeLog, FeedExporter feed, NodeKeys keys) {
    this.changeLog = changeLog;
    this.feed = feed;
    this.keys = keys;
  }

  StreamingOutput snapshot() {
    long seq = changeLog.head();
    return output -> write(seq, output);
  }

  private void write(long seq, OutputStream raw) throws IOException {
    OutputStream out = new BufferedOutputStream(raw, 1 << 16);
    MessageDigest digest = sha256();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("node", keys.nodeId());
    header.put("seq", seq);
    header.put("at", clock.instant().toString());
    line(out, keys.sign(CanonicalJson.utf8(header), SNAPSHOT_TYPE));
    long count = 0;
    long after = 0;
    while (true) {
      long from = after;
      Batch batch =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    List<Change> changes = changeLog.latestOfEachKey(from, seq, BATCH);
                    return new Batch(
                        changes.isEmpty() ? from : changes.get(changes.size() - 1).seq(),
                        feed.entries(changes));
                  });
      if (batch.last() == from) {
        break;
      }
      for (FeedEntry entry : batch.entries()) {
        byte[] line = CanonicalJson.utf8(entry);
        digest.update(line);
        digest.update((byte) '\n');
        out.write(line);
        out.write('\n');
        count++;
      }
      after = batch.last();
    }
    Map<String, Object> trailer = new LinkedHashMap<>();
    trailer.put("node", keys.nodeId());
    trailer.put("seq", seq);
    trailer.put("entries", count);
    trailer.put("sha256", hex(digest));
    line(out, keys.sign(CanonicalJson.utf8(trailer), SNAPSHOT_TYPE));
    out.flush();
  }

  private record Batch(long last, List<FeedEntry> entries) {}

  private static void line(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
