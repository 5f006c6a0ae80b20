package org.pancat.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.pancat.catalogue.ArtifactDocument;
import org.pancat.catalogue.ArtifactKind;
import org.pancat.harvest.oci.Descriptor;
import org.pancat.harvest.oci.Manifest;
import org.pancat.harvest.oci.RegistryClient;
import org.pancat.harvest.oci.RegistryCredentials;
import org.pancat.harvest.oci.RegistryRefused;
import org.pancat.problem.DomainFailure;
import org.pancat.problem.ProblemException;
import org.pancat.trust.Evidence;
import org.pancat.trust.SignatureDocument;

/**
 * Harvests an OCI registry: each tag of the configured repositories (or of every repository in
 * {@code _catalog}) becomes an {@code oci-image} artifact with its manifest digest and platforms,
 * its software and release read from its labels ({@link ImageLabels}), and the cosign signatures
 * and attestations found beside it handed to trust. An unchanged tag costs one request (a HEAD of
 * its manifest).
 */
@ApplicationScoped
class OciHarvester implements Harvester {
  /** cosign's tags for what it stores beside an image: {@code sha256-<hex>.sig}, {@code .att}. */
  static final Pattern COSIGN_TAG = Pattern.compile("sha256-[0-9a-f]{64}(\\.[a-z]+)?");

  private final HarvestConfig config;
  private final Evidence evidence;
  private final HarvestWriter writer;
  private final ObjectMapper mapper;
  private final HttpClient http;

  OciHarvester(HarvestConfig config, Evidence evidence, HarvestWriter writer, ObjectMapper mapper) {
    this.config = config;
    this.evidence = evidence;
    this.writer = writer;
    this.mapper = mapper;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String kind() {
    return "oci";
  }

  @Override
  public void harvest(RunContext run) {
    HarvestSourceDocument.Oci oci = run.source.oci();
    RegistryClient client = client(run, oci.registry());
    String host = oci.referenceHost() != null ? oci.referenceHost() : client.host();
    List<String> repositories = oci.repositories();
    if (repositories.isEmpty()) {
      try {
        repositories = client.catalog();
        run.report.requested(1);
      } catch (RegistryRefused refused) {
        throw new HarvestRefused("listing the registry's repositories failed: " + refused.reason());
      }
    }
    Pattern include = oci.includeTags() == null ? null : Pattern.compile(oci.includeTags());
    Pattern exclude = oci.excludeTags() == null ? null : Pattern.compile(oci.excludeTags());
    for (String repository : repositories) {
      if (run.stopping()) {
        return;
      }
      List<String> tags;
      try {
        tags = client.tags(repository);
        run.report.requested(1);
      } catch (RegistryRefused refused) {
        // the repository's items are not taken for gone: it could not be read
        run.refuse(repository, refused.reason());
        continue;
      }
      Set<String> all = new HashSet<>(tags);
      List<String> images =
          tags.stream()
              .filter(t -> !COSIGN_TAG.matcher(t).matches())
              .filter(t -> include == null || include.matcher(t).matches())
              .filter(t -> exclude == null || !exclude.matcher(t).matches())
              .toList();
      // a tag outside the window of maxTags is still there: not gone
      Set<String> present = new HashSet<>();
      images.forEach(tag -> present.add(repository + ":" + tag));
      if (oci.maxTags() != null && images.size() > oci.maxTags()) {
        images = images.subList(images.size() - oci.maxTags(), images.size());
      }
      run.report.expect(images.size());
      for (String tag : images) {
        if (run.stopping()) {
          return;
        }
        image(run, client, new Target(host, repository, tag, repository + ":" + tag, null), all);
      }
      run.goneUnder(repository + ":", present);
    }
  }

  /** One tag to harvest, and the CVMFS path it is unpacked to, if any. */
  record Target(String host, String repository, String tag, String key, String cvmfsPath) {}

  /** Reads one tag and writes it (or reports it unchanged or refused). */
  void image(RunContext run, RegistryClient client, Target target, Set<String> tagsOfRepository) {
    try {
      Optional<String> digest = client.headDigest(target.repository(), target.tag());
      run.report.requested(1);
      if (digest.isEmpty()) {
        run.refuse(target.key(), "the tag is listed but its manifest is not there");
        return;
      }
      String itemDigest = itemDigest(digest.get(), target.tag(), tagsOfRepository);
      if (run.unchanged(target.key(), itemDigest)) {
        run.recordUnchanged(target.key());
        return;
      }
      run.write(read(run, client, target, digest.get(), itemDigest, tagsOfRepository));
    } catch (RegistryRefused refused) {
      run.refuse(target.key(), refused.reason());
    } catch (HarvestRefused refused) {
      run.refuse(target.key(), refused.getMessage());
    }
  }

  /**
   * What the next run compares: the manifest digest, and which cosign tags stand beside it (a
   * signature pushed after the image makes the tag read again).
   */
  private static String itemDigest(String digest, String tag, Set<String> tags) {
    String prefix = digest.replace(':', '-');
    StringBuilder beside = new StringBuilder();
    for (String suffix : List.of("", ".sig", ".att")) {
      if (tags.contains(prefix + suffix)) {
        beside.append(suffix.isEmpty() ? "r" : suffix.substring(1, 2));
      }
    }
    return beside.isEmpty() ? digest : digest + "+" + beside;
  }

  private HarvestedItem read(
      RunContext run,
      RegistryClient client,
      Target target,
      String digest,
      String itemDigest,
      Set<String> tagsOfRepository)
      throws RegistryRefused {
    Manifest manifest = client.manifest(target.repository(), digest);
    run.report.requested(1);
    Map<String, String> labels = new LinkedHashMap<>();
    List<ArtifactDocument.Platform> platforms = new ArrayList<>();
    if (manifest.isIndex()) {
      Manifest first = null;
      for (Descriptor d : RegistryClient.descriptors(manifest)) {
        Descriptor.Platform p = d.platform();
        if (p == null || "unknown".equals(p.os()) || d.annotations().containsKey(ATTESTATION_FOR)) {
          continue; // buildx's attestation manifests are not a platform
        }
        platforms.add(platform(p.os(), p.architecture(), p.variant()));
        if (first == null) {
          first = client.manifest(target.repository(), d.digest());
          run.report.requested(1);
        }
      }
      if (first != null) {
        labels.putAll(configLabels(run, client, target.repository(), first, null));
      }
    } else {
      labels.putAll(configLabels(run, client, target.repository(), manifest, platforms));
    }
    labels.putAll(annotations(manifest.json()));
    ImageLabels.Read read =
        ImageLabels.read(target.repository(), target.tag(), labels, run.source.sharing());
    ArtifactDocument image =
        new ArtifactDocument(
            ArtifactKind.OCI_IMAGE.value(),
            target.host() + "/" + target.repository() + ":" + target.tag(),
            digest,
            platforms,
            read.requirements(),
            null,
            read.artifactLabels(),
            null,
            read.sharing());
    List<ArtifactDocument> derived =
        target.cvmfsPath() == null
            ? List.of()
            : List.of(
                new ArtifactDocument(
                    ArtifactKind.CVMFS.value(),
                    target.cvmfsPath(),
                    digest,
                    platforms,
                    read.requirements(),
                    null,
                    read.artifactLabels(),
                    null,
                    read.sharing()));
    List<String> notes = new ArrayList<>();
    Found found = evidence(run, client, target.repository(), digest, tagsOfRepository, notes);
    // the stored item digest is the manifest digest, then which cosign tags stood beside it
    String previous = run.knownDigest(target.key());
    String previousManifest = previous == null ? null : previous.split("\\+")[0];
    String previousDigest = digest.equals(previousManifest) ? null : previousManifest;
    return new HarvestedItem(
        target.key(),
        itemDigest,
        read.slug(),
        read.software(),
        true,
        read.version(),
        read.release(),
        image,
        derived,
        found.signatures(),
        found.provenance(),
        notes,
        previousDigest);
  }

  private static final String ATTESTATION_FOR = "vnd.docker.reference.type";

  private Map<String, String> configLabels(
      RunContext run,
      RegistryClient client,
      String repository,
      Manifest manifest,
      List<ArtifactDocument.Platform> platforms)
      throws RegistryRefused {
    Descriptor descriptor =
        RegistryClient.configDescriptor(manifest)
            .orElseThrow(() -> new HarvestRefused("the image manifest has no config"));
    JsonNode config = client.config(repository, descriptor);
    run.report.requested(1);
    if (platforms != null && config.hasNonNull("os") && config.hasNonNull("architecture")) {
      platforms.add(
          platform(
              config.path("os").asText(),
              config.path("architecture").asText(),
              config.path("variant").asText(null)));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    config
        .path("config")
        .path("Labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static Map<String, String> annotations(JsonNode manifest) {
    Map<String, String> annotations = new LinkedHashMap<>();
    manifest
        .path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return annotations;
  }

  private static ArtifactDocument.Platform platform(String os, String arch, String variant) {
    return new ArtifactDocument.Platform(
        os, arch, variant == null || variant.isEmpty() ? null : variant);
  }

  /** The evidence found beside an image, verified by trust. */
  record Found(List<SignatureDocument> signatures, List<JsonNode> provenance) {}

  /**
   * Finds the signatures and attestations of {@code digest}: through the referrers API where the
   * registry has one, else the tags cosign and the OCI referrers fallback use ({@code
   * sha256-<hex>.sig}, {@code .att}, {@code sha256-<hex>}). Each is checked by trust as if it were
   * attached by API; one that does not verify refuses the whole image.
   */
  private Found evidence(
      RunContext run,
      RegistryClient client,
      String repository,
      String digest,
      Set<String> tags,
      List<String> notes)
      throws RegistryRefused {
    List<SignatureDocument> signatures = new ArrayList<>();
    List<JsonNode> provenance = new ArrayList<>();
    String tagBase = digest.replace(':', '-');
    List<Descriptor> referrers = new ArrayList<>();
    Optional<List<Descriptor>> api = client.referrers(repository, digest);
    run.report.requested(1);
    if (api.isPresent()) {
      referrers.addAll(api.get());
    } else if (tags.contains(tagBase)) {
      Manifest index = client.manifest(repository, tagBase);
      run.report.requested(1);
      referrers.addAll(RegistryClient.descriptors(index));
    }
    List<String> keys = writer.policyKeys(run.source.facility());
    for (Descriptor referrer : referrers) {
      if (referrer.artifactType() == null || !referrer.artifactType().startsWith(BUNDLE)) {
        continue;
      }
      Manifest m = client.manifest(repository, referrer.digest());
      run.report.requested(1);
      for (Descriptor layer : RegistryClient.descriptors(m)) {
        if (layer.mediaType() != null && layer.mediaType().startsWith(BUNDLE)) {
          bundle(run, client, repository, digest, layer, keys, signatures, provenance, notes);
        }
      }
    }
    if (tags.contains(tagBase + ".sig")) {
      Manifest m = client.manifest(repository, tagBase + ".sig");
      run.report.requested(1);
      for (Descriptor layer : RegistryClient.descriptors(m)) {
        if (SIMPLE_SIGNING.equals(layer.mediaType())) {
          simpleSigning(run, client, repository, digest, layer, keys, signatures, notes);
        } else if (layer.mediaType() != null && layer.mediaType().startsWith(BUNDLE)) {
          bundle(run, client, repository, digest, layer, keys, signatures, provenance, notes);
        }
      }
    }
    if (tags.contains(tagBase + ".att")) {
      Manifest m = client.manifest(repository, tagBase + ".att");
      run.report.requested(1);
      for (Descriptor layer : RegistryClient.descriptors(m)) {
        if (DSSE.equals(layer.mediaType())) {
          JsonNode envelope = json(client.blob(repository, layer.digest(), MAX_EVIDENCE));
          run.report.requested(1);
          check(() -> evidence.checkProvenance(envelope, digest), "an attestation in the .att tag");
          provenance.add(envelope);
          notes.add(
              "an attestation's DSSE signature is kept as a claim: only one in a Sigstore bundle counts toward trust");
        }
      }
    }
    return new Found(signatures, provenance);
  }

  private void simpleSigning(
      RunContext run,
      RegistryClient client,
      String repository,
      String digest,
      Descriptor layer,
      List<String> keys,
      List<SignatureDocument> signatures,
      List<String> notes)
      throws RegistryRefused {
    String signature = layer.annotations().get(COSIGN_SIGNATURE);
    if (signature == null || signature.isBlank()) {
      throw new HarvestRefused("a layer of the .sig tag carries no signature");
    }
    if (layer.annotations().containsKey(COSIGN_CERTIFICATE)) {
      notes.add(
          "a keyless signature in cosign's legacy layout is not taken: it carries no inclusion proof to verify offline (sign with --new-bundle-format)");
      return;
    }
    if (keys.isEmpty()) {
      notes.add(
          "a key signature was found but not checked: the facility's trust policy names no public key");
      return;
    }
    String payload =
        Base64.getEncoder().encodeToString(client.blob(repository, layer.digest(), MAX_EVIDENCE));
    run.report.requested(1);
    signatures.add(
        verifiedWithOneOf(
            keys,
            key -> new SignatureDocument("public-key", null, key, signature, payload),
            digest,
            "the signature in the .sig tag does not verify against any public key of the facility's trust policy"));
  }

  private void bundle(
      RunContext run,
      RegistryClient client,
      String repository,
      String digest,
      Descriptor layer,
      List<String> keys,
      List<SignatureDocument> signatures,
      List<JsonNode> provenance,
      List<String> notes)
      throws RegistryRefused {
    JsonNode bundle = json(client.blob(repository, layer.digest(), MAX_EVIDENCE));
    run.report.requested(1);
    if (bundle.has("dsseEnvelope")) {
      check(
          () -> evidence.checkProvenance(bundle, digest), "a Sigstore bundle with an attestation");
      provenance.add(bundle);
      return;
    }
    boolean managedKey = bundle.path("verificationMaterial").has("publicKey");
    List<String> candidates = managedKey ? keys : Collections.singletonList(null);
    if (candidates.isEmpty()) {
      notes.add(
          "a bundle signed with a managed key was not checked: the facility's trust policy names no public key");
      return;
    }
    signatures.add(
        verifiedWithOneOf(
            candidates,
            key -> new SignatureDocument("sigstore-bundle", bundle, key, null, null),
            digest,
            "a Sigstore bundle beside the image does not verify"));
  }

  /**
   * The signature document, made for each candidate key in turn, that trust verifies over {@code
   * digest}; when none does, the image is refused with the last reason.
   */
  private SignatureDocument verifiedWithOneOf(
      List<String> keys,
      Function<String, SignatureDocument> document,
      String digest,
      String refusal) {
    String reason = "it does not verify";
    for (String key : keys) {
      SignatureDocument candidate = document.apply(key);
      try {
        evidence.check(candidate, digest);
        return candidate;
      } catch (DomainFailure refused) {
        reason = ProblemException.safeDetail(refused).orElse(reason);
      }
    }
    throw new HarvestRefused(refusal + ": " + reason);
  }

  private static void check(Runnable check, String what) {
    try {
      check.run();
    } catch (DomainFailure refused) {
      throw new HarvestRefused(
          what
              + " does not fit the image: "
              + ProblemException.safeDetail(refused).orElse("it cannot be read"));
    }
  }

  private JsonNode json(byte[] bytes) {
    try {
      return mapper.readTree(bytes);
    } catch (IOException e) {
      throw new HarvestRefused("evidence beside the image is not JSON");
    }
  }

  /**
   * A client of {@code registry}, with the source's credentials when they may be sent there: a
   * source of kind oci is refused otherwise, a CVMFS list reads that registry anonymously.
   */
  RegistryClient client(RunContext run, String registry) {
    SourceHosts.require(config, registry);
    URI uri = URI.create(registry);
    RegistryCredentials credentials = null;
    if (run.source.credentials() != null) {
      HarvestConfig.Credentials c = config.credentials().get(run.source.credentials());
      if (c == null || !c.facility().equals(run.source.facility())) {
        throw new HarvestRefused(
            "the source names credentials that are not configured for its facility");
      }
      credentials = new RegistryCredentials(c.username(), c.password(), c.hosts());
      if (!credentials.hosts().contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
        if (run.source.oci() != null) {
          throw new HarvestRefused(
              "the credentials it names may not be sent to " + uri.getHost() + " (their hosts)");
        }
        credentials = null;
      }
    }
    return new RegistryClient(
            uri, credentials, http, config.requestTimeout(), config.maxResponseBytes())
        .onlyHosts(host -> SourceHosts.allowedHost(config, host));
  }

  static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String DSSE = "application/vnd.dsse.envelope.v1+json";
  static final String BUNDLE = "application/vnd.dev.sigstore.bundle";
  static final String COSIGN_SIGNATURE = "dev.cosignproject.cosign/signature";
  static final String COSIGN_CERTIFICATE = "dev.sigstore.cosign/certificate";
  private static final long MAX_EVIDENCE = 4 * 1024 * 1024;
}
