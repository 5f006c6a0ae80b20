package org.pancat.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/** A release; immutable once published. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReleaseDocument(
    LocalDate releaseDate,
    @Size(max = 20000) String notes,
    @Size(max = 500) @Pattern(regexp = Patterns.HTTP_URL, message = Patterns.HTTP_URL_MESSAGE)
        String url) {}
