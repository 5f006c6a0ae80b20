package org.pancat.catalogue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The ways a release can be obtained (DESIGN.md "Artifact"). */
public enum ArtifactKind {
  OCI_IMAGE("oci-image"),
  SIF("sif"),
  DEB("deb"),
  RPM("rpm"),
  CONDA("conda"),
  PYPI("pypi"),
  CVMFS("cvmfs"),
  RECIPE("recipe"),
  NOTEBOOK("notebook"),
  VM_IMAGE("vm-image");

  private final String value;

  ArtifactKind(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<ArtifactKind> parse(String value) {
    return Arrays.stream(values()).filter(k -> k.value.equals(value)).findFirst();
  }

  public static List<String> allowed() {
    return Arrays.stream(values()).map(ArtifactKind::value).toList();
  }
}
