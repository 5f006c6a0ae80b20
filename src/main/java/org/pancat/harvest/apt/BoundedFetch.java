package org.pancat.harvest.apt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.pancat.harvest.http.BoundedBody;

/**
 * GETs with a limit on the body (never more than maxBytes held) and a deadline on the whole
 * exchange, headers and body.
 */
final class BoundedFetch {
  private final HttpClient http;
  private final Duration timeout;
  private final long maxBytes;

  BoundedFetch(HttpClient http, Duration timeout, long maxBytes) {
    this.http = http;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The body of a 200 answer to GET uri; {@code shown} names the file in reasons. */
  byte[] get(URI uri, String shown) throws AptRefused {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept-Encoding", "identity")
            .header("User-Agent", "pancat-harvest")
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(
            request,
            info -> {
              if (info.statusCode() != 200) {
                return new BoundedBody(0, -1, true); // not read: the status says it all
              }
              long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
              return new BoundedBody(maxBytes, declared, false);
            });
    HttpResponse<byte[]> response;
    try {
      response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(shown);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new AptRefused("the harvest was interrupted while fetching " + shown);
    } catch (ExecutionException e) {
      if (BoundedBody.isTooLarge(e)) {
        throw tooLarge(shown);
      }
      Throwable cause = e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException) {
        cause = cause.getCause();
      }
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(shown);
      }
      if (cause instanceof ConnectException) {
        throw new AptRefused("the repository could not be reached for " + shown);
      }
      throw new AptRefused("the request for " + shown + " failed before a complete answer came");
    }
    if (response.statusCode() != 200) {
      throw new AptRefused(
          "the repository answered HTTP " + response.statusCode() + " for " + shown);
    }
    return response.body();
  }

  /** Decompresses gzip, holding at most maxBytes of the result. */
  byte[] gunzip(byte[] gz, String shown) throws AptRefused {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new AptRefused(
              shown + " decompresses to more than the limit of " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new AptRefused(shown + " is not valid gzip");
    }
  }

  private AptRefused tooLarge(String shown) {
    return new AptRefused(
        "the answer for " + shown + " is larger than the limit of " + maxBytes + " bytes");
  }

  private AptRefused timedOut(String shown) {
    return new AptRefused(
        "the request for " + shown + " timed out after " + timeout.toMillis() + " ms");
  }
}
