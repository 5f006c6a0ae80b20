package org.pancat.changelog;

import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The outcome of an idempotent write: the stored value and whether this call created it (an
 * identical document again changes nothing and appends nothing to the change log).
 */
public record Written<T>(T value, boolean created) {

  /** 201 with Location when created, 200 when it already stood as sent. */
  public RestResponse<T> response(URI location) {
    if (created) {
      return RestResponse.ResponseBuilder.<T>created(location).entity(value).build();
    }
    return RestResponse.ok(value);
  }
}
