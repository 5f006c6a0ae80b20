package org.pancat.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A signature over an artifact's digest: a Sigstore bundle ({@code kind=sigstore-bundle}) or a
 * detached signature with its public key ({@code kind=public-key}, e.g. a cosign key pair), made
 * over the digest itself ({@code cosign sign-blob --key}) or over a base64 simple-signing {@code
 * payload} that names the digest ({@code cosign sign --key} for images).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SignatureDocument(
    @NotBlank
        @Pattern(
            regexp = "sigstore-bundle|public-key",
            message = "must be sigstore-bundle or public-key")
        String kind,
    JsonNode bundle,
    @Size(max = 10000) String publicKey,
    @Size(max = 10000) String signature,
    @Size(max = 100000) String payload) {}
