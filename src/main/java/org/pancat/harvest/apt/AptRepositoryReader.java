package org.pancat.harvest.apt;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * Reads a signed APT repository: its InRelease (verified against the archive key) and the Packages
 * indices it lists (checked against it). Pure Java; one instance may be shared.
 */
public final class AptRepositoryReader {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SUITE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*(/[A-Za-z0-9._+~-]+)*");
  private static final Pattern COMPONENT =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*(/[A-Za-z0-9._+-]+)*");
  private static final Pattern ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,199}");
  private static final Pattern VERSION =
      Pattern.compile("([0-9]{1,9}:)?[0-9A-Za-z][0-9A-Za-z.+~:-]{0,199}");
  private static final Pattern SOURCE =
      Pattern.compile("([a-z0-9][a-z0-9+.-]+)(\\s*\\(([^)]*)\\))?");
  private static final Duration FUTURE_DATE_SLACK = Duration.ofDays(1);
  private static final DateTimeFormatter RELEASE_DATE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .optionalStart()
          .appendPattern("EEE, ")
          .optionalEnd()
          .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE)
          .appendPattern(" MMM uuuu HH:mm:ss")
          .toFormatter(Locale.ENGLISH);

  private final BoundedFetch fetch;
  private final Clock clock;

  /**
   * @param http the client (its redirect and proxy policy apply)
   * @param timeout the deadline of each request, headers and body
   * @param maxBytes the most any response, and any decompressed index, may hold
   * @param clock the time Valid-Until and Date are checked against
   */
  public AptRepositoryReader(HttpClient http, Duration timeout, long maxBytes, Clock clock) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative() || timeout.isZero() || maxBytes <= 0) {
      throw new IllegalArgumentException("timeout and maxBytes must be positive");
    }
    this.fetch = new BoundedFetch(http, timeout, maxBytes);
    this.clock = clock;
  }

  /**
   * One request: GET {@code <base>/dists/<suite>/InRelease}, verify its cleartext signature against
   * {@code source.armoredKey()}, parse it. Refuses a missing, unsigned or badly signed one, one
   * signed by another key, a Valid-Until before {@code clock.instant()}, a Date more than one day
   * in the future, a Suite and Codename that both differ from {@code source.suite()}.
   */
  public VerifiedRelease verifyRelease(AptSource source) throws AptRefused {
    checkSource(source);
    List<PGPPublicKeyRing> keys = ClearSignedVerifier.readKeys(source.armoredKey());
    String shown = "dists/" + source.suite() + "/InRelease";
    byte[] bytes = fetch.get(resolve(source, shown), shown);
    ClearSignedVerifier.Verified verified = ClearSignedVerifier.verify(bytes, keys, "InRelease");
    List<Deb822.Paragraph> paragraphs = Deb822.parse(verified.text(), "the InRelease");
    if (paragraphs.size() != 1) {
      throw new AptRefused("the InRelease does not hold exactly one paragraph of fields");
    }
    Deb822.Paragraph release = paragraphs.get(0);

    String suite = release.simple("Suite");
    String codename = release.simple("Codename");
    if (!source.suite().equals(suite) && !source.suite().equals(codename)) {
      throw new AptRefused(
          "the InRelease is for suite "
              + shownValue(suite)
              + " (codename "
              + shownValue(codename)
              + "), not for "
              + source.suite());
    }
    Instant now = clock.instant();
    String dateField = release.simple("Date");
    if (dateField == null) {
      throw new AptRefused("the InRelease has no Date");
    }
    Instant date = parseDate(dateField, "Date");
    if (date.isAfter(now.plus(FUTURE_DATE_SLACK))) {
      throw new AptRefused("the InRelease is dated " + date + ", more than a day in the future");
    }
    String validUntilField = release.simple("Valid-Until");
    Instant validUntil = validUntilField == null ? null : parseDate(validUntilField, "Valid-Until");
    if (validUntil != null && validUntil.isBefore(now)) {
      throw new AptRefused(
          "the InRelease expired: it is valid until " + validUntil + ", and it is now " + now);
    }
    Map<String, VerifiedRelease.IndexFile> files = sha256Section(release.get("SHA256"));
    return new VerifiedRelease(
        HexFormat.of().formatHex(sha256(bytes)),
        date,
        validUntil,
        verified.signerFingerprint(),
        files);
  }

  /**
   * For each component and architecture: fetch the Packages index the release lists (Packages.gz
   * preferred, else Packages; an index listed only as .xz is refused), check its size and sha256
   * against the release, parse its stanzas. An {@code Architecture: all} package listed in more
   * than one architecture's index is returned once.
   */
  public List<DebPackage> packages(AptSource source, VerifiedRelease release) throws AptRefused {
    checkSource(source);
    Objects.requireNonNull(release, "release");
    Map<String, DebPackage> read = new LinkedHashMap<>();
    for (String component : source.components()) {
      for (String architecture : source.architectures()) {
        String base = component + "/binary-" + architecture + "/Packages";
        VerifiedRelease.IndexFile index = release.files().get(base + ".gz");
        boolean gzip = index != null;
        if (index == null) {
          index = release.files().get(base);
        }
        if (index == null) {
          if (release.files().containsKey(base + ".xz")) {
            throw new AptRefused(
                "the release lists the Packages index of component "
                    + component
                    + ", architecture "
                    + architecture
                    + " only as "
                    + base
                    + ".xz, and xz is not supported");
          }
          throw new AptRefused(
              "the release lists no Packages index for component "
                  + component
                  + ", architecture "
                  + architecture
                  + " (no "
                  + base
                  + ".gz or "
                  + base
                  + ")");
        }
        String shown = "dists/" + source.suite() + "/" + index.path();
        byte[] bytes = fetch.get(resolve(source, shown), shown);
        if (bytes.length != index.size()) {
          throw new AptRefused(
              shown
                  + " does not match the InRelease: it has "
                  + bytes.length
                  + " bytes, the InRelease lists "
                  + index.size());
        }
        if (!HexFormat.of().formatHex(sha256(bytes)).equalsIgnoreCase(index.sha256())) {
          throw new AptRefused(
              shown + " does not match the InRelease: its sha256 differs from the one listed");
        }
        byte[] text = gzip ? fetch.gunzip(bytes, shown) : bytes;
        VerifiedRelease.IndexFile plain = release.files().get(base);
        if (gzip && plain != null) {
          // the release lists the uncompressed index too: what was decompressed must be it
          if (text.length != plain.size()
              || !HexFormat.of().formatHex(sha256(text)).equalsIgnoreCase(plain.sha256())) {
            throw new AptRefused(
                shown
                    + " does not decompress to the "
                    + base
                    + " the InRelease lists (size or sha256 differ)");
          }
        }
        for (DebPackage p : parsePackages(utf8(text, shown), shown)) {
          String key = p.name() + " " + p.version() + " " + p.architecture();
          DebPackage earlier = read.putIfAbsent(key, p);
          if (earlier != null && !earlier.equals(p)) {
            throw new AptRefused(
                shown
                    + " lists "
                    + p.name()
                    + " "
                    + p.version()
                    + " ("
                    + p.architecture()
                    + ") differently from another index of the release");
          }
        }
      }
    }
    return List.copyOf(read.values());
  }

  static List<DebPackage> parsePackages(String text, String shown) throws AptRefused {
    List<DebPackage> packages = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Deb822.Paragraph stanza : Deb822.parse(text, shown)) {
      int line = stanza.line();
      String name = required(stanza, "Package", shown);
      if (!PACKAGE.matcher(name).matches()) {
        throw stanzaRefused(shown, line, "a malformed Package name");
      }
      String version = required(stanza, "Version", shown);
      if (!VERSION.matcher(version).matches()) {
        throw stanzaRefused(shown, line, "a malformed Version");
      }
      String architecture = required(stanza, "Architecture", shown);
      if (!ARCHITECTURE.matcher(architecture).matches()) {
        throw stanzaRefused(shown, line, "a malformed Architecture");
      }
      String filename = required(stanza, "Filename", shown);
      if (!safePath(filename)) {
        throw stanzaRefused(
            shown, line, "a Filename that is not a relative path in the repository");
      }
      String sizeField = required(stanza, "Size", shown);
      long size;
      try {
        size = Long.parseLong(sizeField);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 0 || !sizeField.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw stanzaRefused(shown, line, "a Size that is not a number of bytes");
      }
      String sha256 = required(stanza, "SHA256", shown);
      if (!SHA256.matcher(sha256).matches()) {
        throw stanzaRefused(shown, line, "a SHA256 that is not 64 hexadecimal digits");
      }
      String source = name;
      String sourceField = stanza.simple("Source");
      if (sourceField != null && !sourceField.isEmpty()) {
        var m = SOURCE.matcher(sourceField);
        if (!m.matches()) {
          throw stanzaRefused(shown, line, "a malformed Source");
        }
        source = m.group(1);
      }
      String description = "";
      String longDescription = "";
      String descriptionField = stanza.get("Description");
      if (descriptionField != null) {
        String[] lines = descriptionField.split("\n", -1);
        description = lines[0].strip();
        StringBuilder rest = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
          String l = lines[i].stripTrailing();
          if (i > 1) {
            rest.append('\n');
          }
          rest.append(l.equals(".") ? "" : l);
        }
        longDescription = rest.toString();
      }
      String key = name + " " + version + " " + architecture;
      Integer earlier = seen.putIfAbsent(key, line);
      if (earlier != null) {
        throw stanzaRefused(shown, line, "the same package as the stanza on line " + earlier);
      }
      packages.add(
          new DebPackage(
              name,
              version,
              architecture,
              source,
              blankToNull(stanza.simple("Homepage")),
              description,
              longDescription,
              blankToNull(stanza.simple("Section")),
              blankToNull(stanza.simple("Maintainer")),
              filename,
              size,
              sha256.toLowerCase(Locale.ROOT)));
    }
    return packages;
  }

  private static String required(Deb822.Paragraph stanza, String field, String shown)
      throws AptRefused {
    String value = stanza.simple(field);
    if (value == null || value.isEmpty()) {
      throw stanzaRefused(shown, stanza.line(), "no " + field + " field");
    }
    return value;
  }

  private static AptRefused stanzaRefused(String shown, int line, String what) {
    return new AptRefused("the stanza on line " + line + " of " + shown + " has " + what);
  }

  private static Map<String, VerifiedRelease.IndexFile> sha256Section(String section)
      throws AptRefused {
    if (section == null) {
      throw new AptRefused("the InRelease has no SHA256 section");
    }
    Map<String, VerifiedRelease.IndexFile> files = new LinkedHashMap<>();
    String[] lines = section.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        if (i == 0) {
          continue;
        }
        throw new AptRefused("the InRelease's SHA256 section has an empty entry");
      }
      String[] parts = line.split("[ \t]+");
      if (parts.length != 3
          || !SHA256.matcher(parts[0]).matches()
          || !parts[1].chars().allMatch(c -> c >= '0' && c <= '9')
          || parts[1].length() > 18
          || !safePath(parts[2])) {
        throw new AptRefused(
            "the InRelease's SHA256 section has a malformed entry (entry " + (i + 1) + ")");
      }
      VerifiedRelease.IndexFile file =
          new VerifiedRelease.IndexFile(
              parts[2], Long.parseLong(parts[1]), parts[0].toLowerCase(Locale.ROOT));
      VerifiedRelease.IndexFile earlier = files.putIfAbsent(file.path(), file);
      if (earlier != null && !earlier.equals(file)) {
        throw new AptRefused(
            "the InRelease's SHA256 section lists " + file.path() + " twice, differently");
      }
    }
    return files;
  }

  private static void checkSource(AptSource source) throws AptRefused {
    Objects.requireNonNull(source, "source");
    String scheme = source.baseUrl().getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || source.baseUrl().getHost() == null
        || source.baseUrl().getRawQuery() != null
        || source.baseUrl().getRawFragment() != null) {
      throw new AptRefused("the repository address must be an http or https URL without query");
    }
    if (!SUITE.matcher(source.suite()).matches() || source.suite().contains("..")) {
      throw new AptRefused("the suite name is not a valid APT suite name");
    }
    if (source.components().isEmpty() || source.architectures().isEmpty()) {
      throw new AptRefused("at least one component and one architecture must be given");
    }
    for (String component : source.components()) {
      if (!COMPONENT.matcher(component).matches() || component.contains("..")) {
        throw new AptRefused("the component name " + component + " is not a valid APT component");
      }
    }
    for (String architecture : source.architectures()) {
      if (!ARCHITECTURE.matcher(architecture).matches()) {
        throw new AptRefused(
            "the architecture name " + architecture + " is not a valid Debian architecture");
      }
    }
  }

  private static URI resolve(AptSource source, String path) {
    String base = source.baseUrl().toString();
    if (!base.endsWith("/")) {
      base = base + "/";
    }
    // the path's characters are checked: suite, component and index paths need no escaping
    // except '~' and '+', which are legal in a URI path
    return URI.create(base + path);
  }

  private static boolean safePath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return path.chars().allMatch(c -> c > 32 && c < 127);
  }

  private static Instant parseDate(String value, String field) throws AptRefused {
    String v = value.strip();
    int space = v.lastIndexOf(' ');
    if (space < 0) {
      throw new AptRefused("the InRelease's " + field + " is not a date");
    }
    String zone = v.substring(space + 1);
    ZoneOffset offset;
    if (zone.equalsIgnoreCase("UTC") || zone.equalsIgnoreCase("GMT") || zone.equals("Z")) {
      offset = ZoneOffset.UTC;
    } else if (zone.matches("[+-][0-9]{4}")) {
      try {
        offset =
            ZoneOffset.ofHoursMinutes(
                Integer.parseInt(zone.substring(0, 3)),
                Integer.parseInt(zone.charAt(0) + zone.substring(3)));
      } catch (RuntimeException e) {
        throw new AptRefused("the InRelease's " + field + " has an invalid time zone");
      }
    } else {
      throw new AptRefused("the InRelease's " + field + " is not in UTC or a numeric time zone");
    }
    try {
      return LocalDateTime.parse(v.substring(0, space), RELEASE_DATE).toInstant(offset);
    } catch (DateTimeParseException e) {
      throw new AptRefused("the InRelease's " + field + " is not a date");
    }
  }

  private static String utf8(byte[] bytes, String shown) throws AptRefused {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AptRefused(shown + " is not UTF-8 text");
    }
  }

  private static String shownValue(String value) {
    if (value == null) {
      return "(none)";
    }
    // a field of the signed release, but still shown only if it looks like a suite name
    return SUITE.matcher(value).matches() && value.length() <= 64 ? value : "(unusual name)";
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
