package org.pancat.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A licence users can accept: its terms (text and/or URL) in a given version. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LicenceDocument(
    @NotBlank @Size(max = 300) String title,
    @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9.+-]{0,31}") String version,
    @Size(max = 500) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
        String url,
    @Size(max = 100000) String text) {}
