package org.pancat.access;

import jakarta.enterprise.context.RequestScoped;

/** The principal of the request being served; set once by {@link AuthenticationFilter}. */
@RequestScoped
public class CurrentPrincipal {
  private Principal principal = Principal.anonymous();

  public Principal get() {
    return principal;
  }

  void set(Principal principal) {
    this.principal = principal;
  }
}
