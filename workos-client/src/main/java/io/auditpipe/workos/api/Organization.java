package io.auditpipe.workos.api;

import java.util.Optional;

/** A WorkOS organization ({@code "object":"organization"}): its id, name and external id. */
public record Organization(String id, String name, Optional<String> externalId) {}
