package org.pancat.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Who may get an artifact's reference; see DESIGN.md "Trust class and sharing class". */
public enum SharingClass {
  OPEN("open"),
  RESTRICTED("restricted"),
  NON_SHAREABLE("non-shareable");

  private final String value;

  SharingClass(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  public static Optional<SharingClass> parse(String value) {
    return Arrays.stream(values()).filter(c -> c.value.equals(value)).findFirst();
  }

  @JsonCreator
  static SharingClass fromJson(String value) {
    return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown sharing class"));
  }

  /** Lower is more open; software metadata follows its most open artifact. */
  public int openness() {
    return ordinal();
  }
}
