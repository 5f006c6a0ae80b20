package org.pancat.catalogue;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why an entry is withdrawn; withdrawal leaves a tombstone, it never deletes. */
public record WithdrawalRequest(@NotBlank @Size(max = 1000) String reason) {}
