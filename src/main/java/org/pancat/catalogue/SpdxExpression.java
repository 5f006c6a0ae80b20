package org.pancat.catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and normalises SPDX licence expressions (SPDX 2.3 Annex D): listed ids with optional
 * {@code +}, {@code LicenseRef-*} and {@code DocumentRef-*:LicenseRef-*}, {@code WITH} exceptions,
 * {@code AND}/{@code OR} (AND binds tighter) and parentheses. {@code NOASSERTION} and {@code NONE}
 * are accepted alone, for software whose licence is not known or absent.
 */
public final class SpdxExpression {
  private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[^\\s()]+)");
  private static final Pattern REF_ID = Pattern.compile("[A-Za-z0-9.-]+");
  private static final int MAX_LENGTH = 500;

  private final List<String> tokens;
  private int pos;

  private SpdxExpression(List<String> tokens) {
    this.tokens = tokens;
  }

  /**
   * Returns the expression with ids in their canonical case and single spaces, or an error message
   * safe to show to the caller.
   */
  /** One SPDX licence id or LicenseRef (no operators), normalised, or empty when it is not. */
  public static Optional<String> singleId(String value) {
    Result r = parse(value);
    return r.valid() && !r.normalised().contains(" ")
        ? Optional.of(r.normalised())
        : Optional.empty();
  }

  public static Result parse(String expression) {
    if (expression == null || expression.isBlank()) {
      return Result.error("licence expression is empty");
    }
    if (expression.length() > MAX_LENGTH) {
      return Result.error("licence expression is longer than " + MAX_LENGTH + " characters");
    }
    String trimmed = expression.strip();
    if (trimmed.equals("NOASSERTION") || trimmed.equals("NONE")) {
      return Result.ok(trimmed);
    }
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(trimmed);
    int end = 0;
    while (m.find() && m.start() == end) {
      tokens.add(m.group(1));
      end = m.end();
    }
    SpdxExpression parser = new SpdxExpression(tokens);
    try {
      String normalised = parser.orExpression();
      if (parser.pos < tokens.size()) {
        throw new SyntaxError("unexpected '" + tokens.get(parser.pos) + "'");
      }
      return Result.ok(normalised);
    } catch (SyntaxError e) {
      return Result.error(e.getMessage());
    }
  }

  private String orExpression() {
    StringBuilder sb = new StringBuilder(andExpression());
    while (peek("OR")) {
      pos++;
      sb.append(" OR ").append(andExpression());
    }
    return sb.toString();
  }

  private String andExpression() {
    StringBuilder sb = new StringBuilder(withExpression());
    while (peek("AND")) {
      pos++;
      sb.append(" AND ").append(withExpression());
    }
    return sb.toString();
  }

  private String withExpression() {
    String licence = primary();
    if (!peek("WITH")) {
      return licence;
    }
    pos++;
    String exception = next("an exception id after WITH");
    String canonical =
        SpdxLicenceList.get()
            .exception(exception)
            .orElseThrow(() -> new SyntaxError("unknown licence exception '" + exception + "'"));
    return licence + " WITH " + canonical;
  }

  private String primary() {
    String token = next("a licence id");
    if (token.equals("(")) {
      String inner = orExpression();
      if (!peek(")")) {
        throw new SyntaxError("missing ')'");
      }
      pos++;
      return "(" + inner + ")";
    }
    if (isOperator(token) || token.equals(")")) {
      throw new SyntaxError("expected a licence id but found '" + token + "'");
    }
    return licenceRef(token);
  }

  private static String licenceRef(String token) {
    if (token.startsWith("LicenseRef-") || token.startsWith("DocumentRef-")) {
      for (String part : token.split(":", -1)) {
        int dash = part.indexOf('-');
        if (dash < 0 || !REF_ID.matcher(part.substring(dash + 1)).matches()) {
          throw new SyntaxError("'" + token + "' is not a valid LicenseRef/DocumentRef");
        }
      }
      if (token.startsWith("DocumentRef-") && !token.contains(":LicenseRef-")) {
        throw new SyntaxError("a DocumentRef must be followed by ':LicenseRef-...'");
      }
      return token;
    }
    boolean orLater = token.endsWith("+");
    String id = orLater ? token.substring(0, token.length() - 1) : token;
    Optional<String> canonical = SpdxLicenceList.get().licence(id);
    if (canonical.isEmpty()) {
      throw new SyntaxError(
          "'" + id + "' is not on the SPDX licence list; use LicenseRef-<name> for other licences");
    }
    return canonical.get() + (orLater ? "+" : "");
  }

  private boolean peek(String expected) {
    return pos < tokens.size() && tokens.get(pos).equals(expected);
  }

  private String next(String what) {
    if (pos >= tokens.size()) {
      throw new SyntaxError("expression ends where " + what + " was expected");
    }
    return tokens.get(pos++);
  }

  private static boolean isOperator(String token) {
    return token.equals("AND") || token.equals("OR") || token.equals("WITH");
  }

  /** Either a normalised expression or an error. */
  public record Result(String normalised, String error) {
    static Result ok(String normalised) {
      return new Result(normalised, null);
    }

    static Result error(String error) {
      return new Result(null, error);
    }

    public boolean valid() {
      return error == null;
    }
  }

  private static final class SyntaxError extends RuntimeException {
    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }
}
