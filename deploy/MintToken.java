// Mints a bearer token for pancat's embedded dev issuer, using only the JDK:
//   java deploy/MintToken.java --sub alice --facility esrf --roles publisher [--groups a,b]
//        [--ttl 3600] [--key-dir ./data/dev-issuer]
// The node writes the key into --key-dir on first start with PANCAT_ACCESS_DEV_ISSUER_ENABLED=true.
// Anyone who can read that directory can mint admin tokens: keep it private, and never enable the
// dev issuer on a node that others can reach.

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public class MintToken {
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>(Map.of("--ttl", "3600", "--key-dir", "./data/dev-issuer"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    if (!opts.containsKey("--sub") || args.length % 2 != 0) {
      System.err.println(
          "usage: java deploy/MintToken.java --sub NAME [--facility ID] [--roles publisher,admin]"
              + " [--groups a,b] [--ttl SECONDS] [--key-dir DIR]");
      System.exit(2);
    }
    Path dir = Path.of(opts.get("--key-dir"));
    Properties issuer = new Properties();
    try (Reader in = Files.newBufferedReader(dir.resolve("issuer.properties"))) {
      issuer.load(in);
    }
    String pem = Files.readString(dir.resolve("signing-key.pem"), StandardCharsets.US_ASCII);
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));

    long now = Instant.now().getEpochSecond();
    StringBuilder claims = new StringBuilder("{");
    claims.append("\"iss\":").append(quote(issuer.getProperty("issuer")));
    claims.append(",\"aud\":").append(quote(issuer.getProperty("audience")));
    claims.append(",\"sub\":").append(quote(opts.get("--sub")));
    claims.append(",\"iat\":").append(now);
    claims.append(",\"exp\":").append(now + Long.parseLong(opts.get("--ttl")));
    if (opts.containsKey("--facility")) {
      claims.append(",\"facility\":").append(quote(opts.get("--facility")));
    }
    claims.append(",\"roles\":").append(list(opts.get("--roles")));
    claims.append(",\"groups\":").append(list(opts.get("--groups")));
    claims.append("}");
    String header =
        "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":" + quote(issuer.getProperty("kid")) + "}";
    String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    System.out.println(signingInput + "." + b64(signer.sign()));
  }

  private static String list(String commaSeparated) {
    List<String> items = new ArrayList<>();
    if (commaSeparated != null) {
      for (String item : commaSeparated.split(",")) {
        if (!item.isBlank()) {
          items.add(quote(item.strip()));
        }
      }
    }
    return "[" + String.join(",", items) + "]";
  }

  private static String quote(String value) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
