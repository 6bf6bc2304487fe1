package dev.vrrp.operator.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointNodesTest {
  private static EndpointSlice slice() {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("web-abcde")
        .addToLabels(EndpointNodes.SERVICE_NAME_LABEL, "web")
        .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses("198.18.1.5")
        .withNodeName("node-a")
        .withNewConditions()
        .withReady(true)
        .endConditions()
        .endEndpoint()
        .addNewEndpoint()
        .withAddresses("198.18.2.5")
        .withNodeName("node-b")
        .withNewConditions()
        .withReady(false)
        .withTerminating(true)
        .endConditions()
        .endEndpoint()
        .addNewEndpoint()
        .withAddresses("198.18.3.5")
        .withNodeName("node-c")
        .endEndpoint()
        .addNewEndpoint()
        .withAddresses("198.18.4.5")
        .withNewConditions()
        .withReady(true)
        .endConditions()
        .endEndpoint()
        .addNewPort()
        .withPort(8080)
        .endPort()
        .build();
  }

  @Test
  void readyEndpointsAndThoseWithoutAConditionCountNotReadyOnesAndThoseWithoutANodeDoNot() {
    assertThat(EndpointNodes.ready(List.of(slice()))).containsExactly("node-a", "node-c");
    assertThat(EndpointNodes.ready(List.of(new EndpointSlice()))).isEmpty();
  }

  @Test
  void theSlimCopyKeepsWhatTheDecisionReadsAndDropsAddressesAndPorts() {
    EndpointSlice slim = EndpointNodes.slim(slice());
    assertThat(EndpointNodes.serviceName(slim)).isEqualTo("web");
    assertThat(slim.getMetadata().getLabels()).hasSize(1);
    assertThat(slim.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(EndpointNodes.ready(List.of(slim))).containsExactly("node-a", "node-c");
    assertThat(slim.getEndpoints()).allSatisfy(e -> assertThat(e.getAddresses()).isNullOrEmpty());
    assertThat(slim.getPorts()).isNullOrEmpty();
  }
}
