package org.pancat.catalogue;

import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/** HTTP form of a write: 201 with Location when created, 200 when it already stood as sent. */
final class WrittenResponses {
  private WrittenResponses() {}

  static <T> RestResponse<T> of(CatalogueService.Written<T> written, URI location) {
    if (written.created()) {
      return RestResponse.ResponseBuilder.<T>created(location).entity(written.value()).build();
    }
    return RestResponse.ok(written.value());
  }
}
