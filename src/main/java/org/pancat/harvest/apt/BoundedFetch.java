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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

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
                return new LimitedBody(-1);
              }
              long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
              return new LimitedBody(declared > maxBytes ? -2 : maxBytes);
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
      Throwable cause = e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException
          || (cause instanceof IOException && cause.getCause() instanceof TooLarge)) {
        cause = cause.getCause();
      }
      if (cause instanceof TooLarge) {
        throw tooLarge(shown);
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

  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("too large", null);
    }
  }

  /**
   * Collects at most {@code limit} bytes, one buffer list at a time; a larger body cancels the
   * exchange. Limit -1: the body is not read (a non-200 answer); -2: declared too large.
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (limit == -1) {
        s.cancel();
        result.complete(new byte[0]);
      } else if (limit == -2) {
        s.cancel();
        result.completeExceptionally(new TooLarge());
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (buffer.size() + (long) item.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
