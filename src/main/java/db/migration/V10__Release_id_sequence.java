package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Release ids come from a sequence Hibernate reserves in blocks of 50 rather than from an identity
 * column: identity inserts cannot be batched, and H2 persists each block of identity values it
 * reserves with a commit of its own, which writes every dirty page of the open transaction (a
 * quarter of a federation import's time). One node allocates from one pool, so ids still grow in
 * publishing order, which release listings rely on.
 *
 * <p>In Java because the sequence must start past the ids already given, and H2 and PostgreSQL have
 * no common statement to move a sequence to a computed value.
 */
public class V10__Release_id_sequence extends BaseJavaMigration {
  /** Hibernate's pooled optimizer treats a value as the top of a block of this size. */
  private static final int BLOCK = 50;

  @Override
  public void migrate(Context context) throws Exception {
    try (Statement sql = context.getConnection().createStatement()) {
      long highest;
      try (ResultSet max = sql.executeQuery("SELECT COALESCE(MAX(id), 0) FROM software_release")) {
        max.next();
        highest = max.getLong(1);
      }
      sql.execute("ALTER TABLE software_release ALTER COLUMN id DROP IDENTITY");
      sql.execute(
          "CREATE SEQUENCE release_id_seq START WITH "
              + (highest + BLOCK)
              + " INCREMENT BY "
              + BLOCK);
    }
  }
}
