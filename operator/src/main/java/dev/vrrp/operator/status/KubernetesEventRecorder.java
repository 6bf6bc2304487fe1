package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.OperatorManager;
import dev.vrrp.api.v1alpha1.VirtualIP;
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
 * Records core/v1 Events, which {@code kubectl describe vip} and {@code kubectl get events} show. A
 * VirtualIP is cluster-scoped, so its Events go to the {@code default} namespace, as client-go's
 * recorder does for cluster-scoped objects. A failed Event is logged, never thrown: it must not
 * fail a reconcile.
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
  public void record(VirtualIP vip, StatusAggregator.Notice notice) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message =
        notice.message().length() > MAX_MESSAGE
            ? notice.message().substring(0, MAX_MESSAGE - 3) + "..."
            : notice.message();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(vip.getMetadata().getName() + ".")
            .withNamespace(NAMESPACE)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(HasMetadata.getApiVersion(VirtualIP.class))
                    .withKind(HasMetadata.getKind(VirtualIP.class))
                    .withName(vip.getMetadata().getName())
                    .withUid(vip.getMetadata().getUid())
                    .withResourceVersion(vip.getMetadata().getResourceVersion())
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
      client.v1().events().inNamespace(NAMESPACE).resource(event).create();
      LOG.info(
          "{}: {} {}: {}", vip.getMetadata().getName(), notice.type(), notice.reason(), message);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "{}: cannot record Event {} ({}): {}",
          vip.getMetadata().getName(),
          notice.reason(),
          message,
          e.getMessage());
    }
  }
}
