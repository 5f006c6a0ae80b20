package org.pancat.harvest.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read to at most {@code limit} bytes: past it (or when the declared length is
 * already past it) the exchange is cancelled, so a source cannot make the node buffer more.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long limit;
  private final long declared;
  private final boolean emptyPastLimit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long size;

  /**
   * @param declared the Content-Length the answer declared, or -1
   * @param emptyPastLimit past the limit the body ends empty instead of failing (an error body,
   *     read only so the connection can be kept)
   */
  public BoundedBody(long limit, long declared, boolean emptyPastLimit) {
    this.limit = limit;
    this.declared = declared;
    this.emptyPastLimit = emptyPastLimit;
  }

  /** The failure of a body over its limit. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("too large", null);
    }
  }

  /** Whether {@code failure}, or one of its causes, is a body over its limit. */
  public static boolean isTooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TooLarge) {
        return true;
      }
    }
    return false;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > limit) {
      s.cancel();
      if (emptyPastLimit) {
        result.complete(new byte[0]);
      } else {
        result.completeExceptionally(new TooLarge());
      }
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      size += item.remaining();
      if (size > limit) {
        subscription.cancel();
        if (emptyPastLimit) {
          result.complete(new byte[0]);
        } else {
          result.completeExceptionally(new TooLarge());
        }
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
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
