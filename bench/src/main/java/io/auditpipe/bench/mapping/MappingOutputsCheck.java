package io.auditpipe.bench.mapping;

import java.nio.charset.StandardCharsets;

/**
 * Prints what each mapper makes of the reference event, and whether they agree: the quick check to
 * run while editing the workload, without JMH.
 */
public final class MappingOutputsCheck {

  private MappingOutputsCheck() {}

  public static void main(String[] args) {
    byte[] event = ReferenceWorkload.orderEvent();
    for (String name : ReferenceWorkload.MAPPERS) {
      try {
        OrderEventMapper mapper = ReferenceWorkload.mapper(name);
        System.out.println(name + ": " + new String(mapper.map(event), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        System.out.println(name + ": FAILED " + e);
      }
    }
    ReferenceWorkload.requireSameOutput(ReferenceWorkload.mappers(), event);
    System.out.println("all mappers agree");
  }
}
