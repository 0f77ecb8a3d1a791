package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed model of a compiled document that tools read instead of the document's JSON. */
class RuleSummaryTest {

  private static final String DOCUMENT =
      """
      {"version": 1,
       "defaults": {"organization_id": {"path": "/org"}, "metadata": {"source": "app"}},
       "groups": {"cdc": {"topic_pattern": "shop\\\\.public\\\\..+",
                          "defaults": {"organization_id": {"external_id": "{/tenant}"}}}},
       "rules": [
         {"name": "paid", "topics": ["orders"], "action": "order.paid",
          "actor": {"id": {"path": "/u"}, "type": "user"},
          "targets": [{"id": {"path": "/id"}, "type": "order"},
                      {"for_each": "/lines", "id": {"path": "/sku"}, "type": {"path": "/kind"}}],
          "context": {"location": "0.0.0.0"},
          "metadata": {"amount": {"path": "/amount", "optional": true}}},
         {"name": "row", "group": "cdc",
          "action": {"lookup": {"path": "/op"}, "table": {"c": "row.created", "u": "row.updated"}},
          "actor": {"id": "system", "type": "service"}, "targets": [],
          "context": {"location": "0.0.0.0"}}]}
      """;

  @Test
  void eachRuleHasItsLocationTopicsAndTheShapeOfItsEventsWithDefaultsMerged() throws Exception {
    List<RuleSummary> rules = RulesCompiler.compile(DOCUMENT).rules();

    assertThat(rules)
        .extracting(RuleSummary::location)
        .containsExactly("rules[0] \"paid\"", "rules[1] \"row\"");
    RuleSummary paid = rules.get(0);
    assertThat(paid.topics()).containsExactly("orders");
    assertThat(paid.topicPattern()).isEmpty();
    assertThat(paid.action().texts()).contains(List.of("order.paid"));
    assertThat(paid.targets()).hasSize(2);
    assertThat(paid.targets().get(0).type().texts()).contains(List.of("order"));
    assertThat(paid.targets().get(1).forEach()).isTrue();
    assertThat(paid.targets().get(1).type().texts()).isEmpty();
    assertThat(paid.metadata()).containsOnlyKeys("source", "amount");
    assertThat(paid.metadata().get("source").types()).containsExactly(ValueShape.Type.STRING);
    assertThat(paid.metadata().get("amount").optional()).isTrue();
    assertThat(paid.metadata().get("amount").types())
        .containsExactlyInAnyOrder(
            ValueShape.Type.STRING, ValueShape.Type.NUMBER, ValueShape.Type.BOOLEAN);

    RuleSummary row = rules.get(1);
    assertThat(row.group()).contains("cdc");
    assertThat(row.topics()).isEmpty();
    assertThat(row.topicPattern().map(p -> p.pattern())).contains("shop\\.public\\..+");
    assertThat(row.action().texts()).contains(List.of("row.created", "row.updated"));
  }

  @Test
  void saysWhichRulesLookUpOrganizationsWhateverTheResolver() throws Exception {
    for (OrganizationResolver resolver :
        List.of(OrganizationResolver.none(), OrganizationResolver.atDelivery())) {
      CompiledRules rules = RulesCompiler.compile(DOCUMENT, resolver);

      assertThat(rules.rules())
          .extracting(RuleSummary::looksUpOrganization)
          .containsExactly(false, true);
      assertThat(rules.rulesLookingUpOrganizations()).containsExactly("rules[1] \"row\"");
    }
    assertThat(
            RulesCompiler.compile(DOCUMENT.replace("{\"external_id\": \"{/tenant}\"}", "\"org_1\""))
                .rulesLookingUpOrganizations())
        .isEmpty();
  }

  @Test
  void anExternalIdInsideAnotherValueIsALookupToo() throws Exception {
    String nested =
        DOCUMENT.replace(
            "{\"external_id\": \"{/tenant}\"}",
            "{\"coalesce\": [{\"path\": \"/org_id\"}, {\"external_id\": \"{/tenant}\"}]}");

    assertThat(RulesCompiler.compile(nested).rulesLookingUpOrganizations())
        .containsExactly("rules[1] \"row\"");
  }

  @Test
  void selectsTopicsByNameAndByPatternAsMappingDoes() throws Exception {
    CompiledRules rules = RulesCompiler.compile(DOCUMENT);

    assertThat(rules.selectsTopic("orders")).isTrue();
    assertThat(rules.selectsTopic("shop.public.rows")).isTrue();
    assertThat(rules.selectsTopic("shop.public.")).isFalse();
    assertThat(rules.selectsTopic("orders.v2")).isFalse();
    assertThat(rules.topics()).isEqualTo(Set.of("orders"));
    assertThat(rules.rules().get(0).selectsTopic("orders")).isTrue();
    assertThat(rules.rules().get(1).group()).isEqualTo(Optional.of("cdc"));
  }
}
