package dev.vrrp.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * One kind of this API as raw objects on a real API server, for the admission tests: specs go as
 * raw YAML (not through the Java types), exactly what a user's manifest would send.
 */
record Admission(KubernetesClient client, String kind) {
  MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources() {
    return client.genericKubernetesResources(VirtualIP.GROUP + "/" + VirtualIP.VERSION, kind);
  }

  GenericKubernetesResource object(String name, String specYaml) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(VirtualIP.GROUP + "/" + VirtualIP.VERSION)
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToAdditionalProperties("spec", AdmissionCases.raw(specYaml))
        .build();
  }

  /** Creating the object fails with 422, naming the field and saying the message; none stored. */
  void assertRejected(String name, String spec, String field, String message) {
    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> resources().resource(object(name, spec)).create());

    assertThat(e).as("accepted: %s", spec).isNotNull();
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getStatus().getMessage()).contains(field + ": ").contains(message);
    assertThat(e.getStatus().getDetails().getCauses())
        .anySatisfy(
            cause -> {
              assertThat(cause.getField()).isEqualTo(field);
              assertThat(cause.getMessage()).contains(message);
            });
    assertThat(resources().withName(name).get()).as("stored although rejected").isNull();
  }

  /** Creating the object succeeds. */
  GenericKubernetesResource create(String name, String spec) {
    GenericKubernetesResource created = resources().resource(object(name, spec)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    return created;
  }
}
