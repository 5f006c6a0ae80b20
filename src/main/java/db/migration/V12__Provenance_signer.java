package db.migration;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A provenance statement's verified signer as identity and issuer, so a trust policy can bind a
 * builder to the identities that may sign for it. Statements stored before keep their signer: it
 * was recorded as "{identity} via {issuer}" (identities are URIs or e-mail addresses, which hold no
 * spaces, so the last " via " separates them).
 *
 * <p>In Java because splitting that text needs string functions H2 and PostgreSQL do not share.
 */
public class V12__Provenance_signer extends BaseJavaMigration {
  private static final String VIA = " via ";

  @Override
  public void migrate(Context context) throws Exception {
    var connection = context.getConnection();
    try (Statement sql = connection.createStatement()) {
      sql.execute("ALTER TABLE artifact_provenance ADD COLUMN signer_identity VARCHAR(1000)");
      sql.execute("ALTER TABLE artifact_provenance ADD COLUMN signer_issuer VARCHAR(1000)");
    }
    try (Statement select = connection.createStatement();
        ResultSet rows =
            select.executeQuery(
                "SELECT id, signed_by FROM artifact_provenance WHERE signed_by IS NOT NULL");
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE artifact_provenance SET signer_identity = ?, signer_issuer = ?"
                    + " WHERE id = ?")) {
      while (rows.next()) {
        String signedBy = rows.getString(2);
        int via = signedBy.lastIndexOf(VIA);
        if (via <= 0) {
          continue; // not a keyless signer: stays an unsigned claim, as deny-by-default wants
        }
        update.setString(1, signedBy.substring(0, via));
        update.setString(2, signedBy.substring(via + VIA.length()));
        update.setString(3, rows.getString(1));
        update.addBatch();
      }
      update.executeBatch();
    }
  }
}
