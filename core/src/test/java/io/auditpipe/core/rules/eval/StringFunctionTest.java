package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class StringFunctionTest {

  @Test
  void caseAndTrim() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr"));
      assertThat(StringFunction.LOWER.apply("TITLE")).isEqualTo("title");
      assertThat(StringFunction.UPPER.apply("title")).isEqualTo("TITLE");
    } finally {
      Locale.setDefault(saved);
    }
    assertThat(StringFunction.TRIM.apply(" \t a b \n")).isEqualTo("a b");
  }

  @Test
  void sha256IsLowerHex() {
    assertThat(StringFunction.SHA256.apply("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void masking() {
    assertThat(StringFunction.MASK.apply("4111111111111111")).isEqualTo("************1111");
    assertThat(StringFunction.MASK.apply("1234")).isEqualTo("****");
    assertThat(StringFunction.MASK.apply("")).isEmpty();
    assertThat(StringFunction.MASK_EMAIL.apply("bob@example.org")).isEqualTo("b***@example.org");
    assertThat(StringFunction.MASK_EMAIL.apply("jo@x.io"))
        .as("never reveals the length")
        .isEqualTo("j***@x.io");
    assertThat(StringFunction.MASK_EMAIL.apply("no-at-sign")).isEqualTo("******sign");
  }

  @Test
  void namesAreTheDocumentNames() {
    assertThat(StringFunction.byName("mask_email")).contains(StringFunction.MASK_EMAIL);
    assertThat(StringFunction.byName("MASK")).isEmpty();
  }
}
