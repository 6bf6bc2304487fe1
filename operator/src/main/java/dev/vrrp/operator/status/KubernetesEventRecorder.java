package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.OperatorManager;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events, which {@code kubectl describe} and {@code kubectl get events} show. An
 * object's Events go to its namespace; those of a cluster-scoped one (a VirtualIP, a pool) to the
 * {@code default} namespace, as client-go's recorder does. A failed Event is logged, never thrown:
 * it must not fail a reconcile.
 */
public final class KubernetesEventRecorder implements EventRecorder {
  public static final String NAMESPACE = "default";
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);
  private static final int MAX_MESSAGE = 1000;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public KubernetesEventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance == null || instance.isBlank() ? OperatorManager.NAME : instance;
  }

  @Override
  public void record(HasMetadata object, StatusAggregator.Notice notice) {
    String namespace =
        object.getMetadata().getNamespace() == null
            ? NAMESPACE
            : object.getMetadata().getNamespace();
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message =
        notice.message().length() > MAX_MESSAGE
            ? notice.message().substring(0, MAX_MESSAGE - 3) + "..."
            : notice.message();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(object.getMetadata().getName() + ".")
            .withNamespace(namespace)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(HasMetadata.getApiVersion(object.getClass()))
                    .withKind(HasMetadata.getKind(object.getClass()))
                    .withNamespace(object.getMetadata().getNamespace())
                    .withName(object.getMetadata().getName())
                    .withUid(object.getMetadata().getUid())
                    .withResourceVersion(object.getMetadata().getResourceVersion())
                    .build())
            .withType(notice.type().wire())
            .withReason(notice.reason().wire())
            .withMessage(message)
            .withNewSource()
            .withComponent(OperatorManager.NAME)
            .endSource()
            .withReportingComponent(OperatorManager.NAME)
            .withReportingInstance(instance.length() > 128 ? instance.substring(0, 128) : instance)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
      LOG.info("{}: {} {}: {}", describe(object), notice.type(), notice.reason(), message);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "{}: cannot record Event {} ({}): {}",
          describe(object),
          notice.reason(),
          message,
          e.getMessage());
    }
  }

  private static String describe(HasMetadata object) {
    return object.getMetadata().getNamespace() == null
        ? object.getMetadata().getName()
        : object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }
}
