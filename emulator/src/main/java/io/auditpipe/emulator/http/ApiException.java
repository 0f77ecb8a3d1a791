package io.auditpipe.emulator.http;

/** Ends a request early with a complete WorkOS-shaped answer. */
final class ApiException extends RuntimeException {

  private final transient ApiResponse response;

  ApiException(ApiResponse response) {
    super("HTTP " + response.status(), null, false, false);
    this.response = response;
  }

  ApiResponse response() {
    return response;
  }
}
