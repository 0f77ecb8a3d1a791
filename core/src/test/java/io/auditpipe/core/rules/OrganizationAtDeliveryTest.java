package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrganizationAtDeliveryTest {

  private static final String DOC =
      """
      {"version": 1,
       "defaults": {"actor": {"id": "u", "type": "user"}, "context": {"location": "l"}},
       "rules": [
         {"name": "ext", "topics": ["ext"], "action": "a", "targets": [],
          "organization_id": {"external_id": "tenant-{/tenant}"}},
         {"name": "plain", "topics": ["plain"], "action": "a", "targets": [],
          "organization_id": {"path": "/org"}}
       ]}
      """;

  @Test
  void anExternalIdStaysAReferenceForTheDeliverer() throws Exception {
    CompiledRules rules = RulesCompiler.compile(DOC, OrganizationResolver.atDelivery());
    assertThat(rules.looksUpOrganizations()).isTrue();

    MappedEvent ext = only(rules, "ext", "{\"tenant\": \"acme\"}");
    assertThat(ext.organization()).isEqualTo(new OrganizationRef.ExternalId("tenant-acme"));
    assertThat(ext.needsOrganizationLookup()).isTrue();
    MappedEvent resolved = ext.withOrganizationId("org_01ACME");
    assertThat(resolved.event().organizationId()).isEqualTo("org_01ACME");
    assertThat(resolved.organization()).isEqualTo(new OrganizationRef.Id("org_01ACME"));
    assertThat(resolved.idempotencyKey()).isEqualTo(ext.idempotencyKey());
    assertThat(resolved.event().action()).isEqualTo(ext.event().action());

    MappedEvent plain = only(rules, "plain", "{\"org\": \"org_9\"}");
    assertThat(plain.organization()).isEqualTo(new OrganizationRef.Id("org_9"));
  }

  @Test
  void theSameDocumentResolvingWhileMappingNeedsNoDeliverer() throws Exception {
    CompiledRules rules = RulesCompiler.compile(DOC, id -> java.util.Optional.of("org_" + id));
    assertThat(rules.looksUpOrganizations()).isFalse();
    MappedEvent ext = only(rules, "ext", "{\"tenant\": \"acme\"}");
    assertThat(ext.organization()).isEqualTo(new OrganizationRef.Id("org_tenant-acme"));
    assertThat(
            RulesCompiler.compile(
                    DOC.replace("{\"external_id\": \"tenant-{/tenant}\"}", "\"o\""),
                    OrganizationResolver.atDelivery())
                .looksUpOrganizations())
        .isFalse();
  }

  @Test
  void anEmptyExternalIdIsTheRecordsFailure() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            DOC.replace("tenant-{/tenant}", "{/tenant}"), OrganizationResolver.atDelivery());
    MappingOutcome out = map(rules, "ext", "{\"tenant\": \"\"}");
    assertThat(out).isInstanceOf(MappingOutcome.Failed.class);
    assertThat(((MappingOutcome.Failed) out).failures().get(0).reason())
        .contains("non-empty external id");
  }

  @Test
  void atDeliveryExternalIdMustBeTheWholeOrganizationValue() {
    String nested =
        DOC.replace(
            "{\"external_id\": \"tenant-{/tenant}\"}",
            "{\"coalesce\": [{\"external_id\": {\"path\": \"/t\"}}, {\"path\": \"/org\"}]}");
    assertThatThrownBy(() -> RulesCompiler.compile(nested, OrganizationResolver.atDelivery()))
        .isInstanceOf(RulesValidationException.class)
        .hasMessageContaining("only as the whole organization_id value");
    String modified =
        DOC.replace(
            "{\"external_id\": \"tenant-{/tenant}\"}",
            "{\"external_id\": \"{/t}\", \"default\": \"org_x\"}");
    assertThatThrownBy(() -> RulesCompiler.compile(modified, OrganizationResolver.atDelivery()))
        .isInstanceOf(RulesValidationException.class)
        .hasMessageContaining("remove default");
  }

  private static MappedEvent only(CompiledRules rules, String topic, String json) throws Exception {
    MappingOutcome out = map(rules, topic, json);
    assertThat(out).isInstanceOf(MappingOutcome.Mapped.class);
    return ((MappingOutcome.Mapped) out).events().get(0);
  }

  private static MappingOutcome map(CompiledRules rules, String topic, String json)
      throws Exception {
    MappingOutcome tree =
        rules.map(new ObjectMapper().readTree(json), RecordContext.of(topic, 0, 1));
    MappingOutcome bytes =
        rules.map(
            rules.readValue(json.getBytes(StandardCharsets.UTF_8)), RecordContext.of(topic, 0, 1));
    // occurred_at defaults to "now", so compare what does not depend on the time.
    assertThat(bytes.getClass()).isEqualTo(tree.getClass());
    if (tree instanceof MappingOutcome.Mapped m) {
      assertThat(((MappingOutcome.Mapped) bytes).events())
          .extracting(MappedEvent::organization, MappedEvent::idempotencyKey)
          .isEqualTo(
              m.events().stream()
                  .map(
                      e ->
                          org.assertj.core.groups.Tuple.tuple(e.organization(), e.idempotencyKey()))
                  .toList());
    }
    return tree;
  }
}
