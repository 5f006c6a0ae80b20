package db.migration;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Secrets a node keeps in its database, so every replica of the node and every restore of its
 * backup use the same ones. The first, {@code artifact-ids}, keys the hash that names artifacts:
 * without it, anyone could confirm a guessed restricted reference offline against a public id.
 *
 * <p>In Java because the secret must be random, and SQL migrations have no common way to make one.
 */
public class V11__Node_secrets extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try (Statement sql = context.getConnection().createStatement()) {
      sql.execute(
          "CREATE TABLE node_secret (name VARCHAR(100) PRIMARY KEY, secret VARCHAR(200) NOT NULL)");
    }
    try (PreparedStatement insert =
        context
            .getConnection()
            .prepareStatement("INSERT INTO node_secret (name, secret) VALUES (?, ?)")) {
      insert.setString(1, "artifact-ids");
      insert.setString(2, HexFormat.of().formatHex(secret));
      insert.executeUpdate();
    }
  }
}
