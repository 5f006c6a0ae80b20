package org.pancat.catalogue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SPDX licence and exception identifiers shipped in {@code src/main/resources/spdx/} (see its
 * README for the source and how to update it). Look-ups are case-insensitive, as SPDX requires.
 */
final class SpdxLicenceList {
  private static final SpdxLicenceList INSTANCE = load();

  private final Map<String, String> licences;
  private final Map<String, String> exceptions;

  private SpdxLicenceList(Map<String, String> licences, Map<String, String> exceptions) {
    this.licences = licences;
    this.exceptions = exceptions;
  }

  static SpdxLicenceList get() {
    return INSTANCE;
  }

  /** The canonical spelling of a listed licence id (deprecated ids included). */
  Optional<String> licence(String id) {
    return Optional.ofNullable(licences.get(id.toLowerCase(Locale.ROOT)));
  }

  Optional<String> exception(String id) {
    return Optional.ofNullable(exceptions.get(id.toLowerCase(Locale.ROOT)));
  }

  private static SpdxLicenceList load() {
    Map<String, String> licences = new TreeMap<>();
    read("spdx/licenses.json").forEach(id -> licences.put(id.toLowerCase(Locale.ROOT), id));
    read("spdx/deprecated-licenses.json")
        .forEach(id -> licences.put(id.toLowerCase(Locale.ROOT), id));
    Map<String, String> exceptions = new TreeMap<>();
    read("spdx/exceptions.json").forEach(id -> exceptions.put(id.toLowerCase(Locale.ROOT), id));
    return new SpdxLicenceList(licences, exceptions);
  }

  private static List<String> read(String resource) {
    try (InputStream in = SpdxLicenceList.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new ObjectMapper().readValue(in, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
