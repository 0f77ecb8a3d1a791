package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What {@code schemas push} derives, from the compiled rules' summaries. */
class ActionSchemasTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void eachActionGetsItsTargetTypesAndTypedMetadata() throws Exception {
    ActionSchemas schemas =
        derive(
            """
            {"version": 1,
             "defaults": {"organization_id": "org_1", "context": {"location": "0.0.0.0"}, "metadata": {"source": "billing"}},
             "rules": [{
               "name": "paid", "topics": ["t"], "action": "invoice.paid",
               "actor": {"id": {"path": "/u"}, "type": "user",
                         "metadata": {"role": {"path": "/role", "fn": "lower"}}},
               "targets": [
                 {"id": {"path": "/id"}, "type": "invoice",
                  "metadata": {"total": {"path": "/total"}}},
                 {"for_each": "/lines", "id": {"path": "/sku"}, "type": "product"}],
               "metadata": {
                 "amount": {"path": "/amount", "optional": true},
                 "test": false,
                 "currency": {"lookup": {"path": "/c"}, "table": {"e": "EUR", "u": "USD"}},
                 "at": {"path": "/at", "timestamp": "epoch_millis"}}}]}
            """);

    assertThat(schemas.notes()).isEmpty();
    assertThat(schemas.schemas()).containsOnlyKeys("invoice.paid");
    assertThat(body(schemas, "invoice.paid"))
        .isEqualTo(
            MAPPER.readTree(
                """
                {"targets": [
                   {"type": "invoice", "metadata": {"type": "object",
                     "properties": {"total": {"type": ["string", "number", "boolean"]}},
                     "required": ["total"]}},
                   {"type": "product"}],
                 "actor": {"metadata": {"type": "object",
                   "properties": {"role": {"type": "string"}}, "required": ["role"]}},
                 "metadata": {"type": "object",
                   "properties": {
                     "source": {"type": "string"},
                     "amount": {"type": ["string", "number", "boolean"]},
                     "test": {"type": "boolean"},
                     "currency": {"type": "string"},
                     "at": {"type": "string"}},
                   "required": ["source", "test", "currency", "at"]}}
                """));
  }

  @Test
  void lookupActionsGiveOneSchemaPerActionAndRulesSharingAnActionMerge() throws Exception {
    ActionSchemas schemas =
        derive(
            """
            {"version": 1, "defaults": {"organization_id": "org_1", "context": {"location": "0.0.0.0"}}, "rules": [
              {"name": "a", "topics": ["t"],
               "action": {"lookup": {"path": "/op"}, "table": {"c": "row.created", "u": "row.updated"}},
               "actor": {"id": "x", "type": "user"},
               "targets": [{"id": "r", "type": "row"}, {"id": "s", "type": "shard"}],
               "metadata": {"n": 1, "only_a": "x"}},
              {"name": "b", "topics": ["u"], "action": "row.created",
               "actor": {"id": "x", "type": "user"},
               "targets": [{"id": "r", "type": "row"}],
               "metadata": {"n": "one"}}]}
            """);

    assertThat(schemas.schemas()).containsOnlyKeys("row.created", "row.updated");
    JsonNode created = body(schemas, "row.created");
    // Only target types every rule producing the action carries are required by the schema.
    assertThat(created.get("targets")).hasSize(1);
    assertThat(created.at("/targets/0/type").asText()).isEqualTo("row");
    assertThat(created.at("/metadata/properties/n/type"))
        .isEqualTo(MAPPER.readTree("[\"string\", \"number\"]"));
    assertThat(created.at("/metadata/required")).isEqualTo(MAPPER.readTree("[\"n\"]"));
    assertThat(body(schemas, "row.updated").get("targets")).hasSize(2);
  }

  @Test
  void joinsNamedTablesAndGroupDefaultsAreDerivedAsTheCompilerReadsThem() throws Exception {
    ActionSchemas schemas =
        derive(
            """
            {"version": 1,
             "tables": {"ops": {"c": "row.created"}, "levels": {"a": 1, "b": 2}},
             "defaults": {"organization_id": "org_1", "context": {"location": "0.0.0.0"}, "metadata": {"source": "doc", "env": "prod"}},
             "groups": {"cdc": {"defaults": {"metadata": {"source": "cdc", "lsn": {"path": "/lsn"}}}}},
             "rules": [
              {"name": "a", "group": "cdc", "topics": ["t"],
               "action": {"lookup": {"path": "/op"}, "table": "ops"},
               "actor": {"id": "x", "type": "user"},
               "targets": [{"id": "r", "type": "row"}],
               "metadata": {"scopes": {"path": "/scopes", "join": ","},
                            "level": {"lookup": {"path": "/l"}, "table": "levels"},
                            "at": {"path": "/at", "timestamp": ["iso8601", "epoch_millis"]}}}]}
            """);

    assertThat(schemas.schemas()).containsOnlyKeys("row.created");
    JsonNode metadata = body(schemas, "row.created").get("metadata");
    assertThat(metadata.at("/properties/scopes/type").asText()).isEqualTo("string");
    assertThat(metadata.at("/properties/level/type").asText()).isEqualTo("number");
    assertThat(metadata.at("/properties/at/type").asText()).isEqualTo("string");
    assertThat(metadata.at("/properties/source/type").asText()).isEqualTo("string");
    assertThat(metadata.get("properties").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("source", "env", "lsn", "scopes", "level", "at");
  }

  @Test
  void whatDependsOnTheRecordIsReportedNotGuessed() throws Exception {
    ActionSchemas schemas =
        derive(
            """
            {"version": 1, "defaults": {"organization_id": "org_1", "context": {"location": "0.0.0.0"}}, "rules": [
              {"name": "templated", "topics": ["t"], "action": "order.{/status}",
               "actor": {"id": "x", "type": "user"}, "targets": [{"id": "o", "type": "order"}]},
              {"name": "typed-by-record", "topics": ["t"], "action": "thing.changed",
               "actor": {"id": "x", "type": "user"},
               "targets": [{"id": "o", "type": {"path": "/kind"}}]}]}
            """);

    assertThat(schemas.schemas()).isEmpty();
    assertThat(schemas.notes())
        .anySatisfy(n -> assertThat(n).startsWith("rules[0] \"templated\" action:"))
        .anySatisfy(n -> assertThat(n).startsWith("rules[1] \"typed-by-record\" targets:"))
        .anySatisfy(n -> assertThat(n).startsWith("action thing.changed: no target type"));
  }

  private static ActionSchemas derive(String document) throws RulesValidationException {
    return RulesCompiler.compile(document).actionSchemas();
  }

  private static JsonNode body(ActionSchemas schemas, String action) {
    return schemas.schemas().get(action).requestBody();
  }
}
