package dev.vrrp.charts;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.Callable;

/** Asks the API server's authorizer (SubjectAccessReview) and records real 403s. */
final class Access {
  private Access() {}

  /**
   * One question: may {@code serviceAccount} do {@code verb} on {@code resource} (with
   * "resource/subresource", group "" for core) in {@code namespace} ("" = cluster scope), name
   * optional.
   */
  record Question(String verb, String group, String resource, String namespace, String name) {
    static Question of(String spec) {
      String[] f = spec.trim().split("\\s+");
      return new Question(
          f[0],
          f[1].equals("core") ? "" : f[1],
          f[2],
          f.length > 3 && !f[3].equals("-") ? f[3] : "",
          f.length > 4 ? f[4] : null);
    }

    @Override
    public String toString() {
      return verb
          + " "
          + (group.isEmpty() ? "core" : group)
          + " "
          + resource
          + (namespace.isEmpty() ? " (cluster)" : " in " + namespace)
          + (name == null ? "" : " name " + name);
    }
  }

  static boolean allowed(KubernetesClient admin, String serviceAccount, Question q) {
    String[] resource = q.resource().split("/", 2);
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(InstalledChart.serviceAccountUser(serviceAccount))
            .withGroups(List.of(InstalledChart.serviceAccountGroups()))
            .withNewResourceAttributes()
            .withVerb(q.verb())
            .withGroup(q.group())
            .withResource(resource[0])
            .withSubresource(resource.length > 1 ? resource[1] : null)
            .withNamespace(q.namespace().isEmpty() ? null : q.namespace())
            .withName(q.name())
            .endResourceAttributes()
            .endSpec()
            .build();
    return Boolean.TRUE.equals(admin.resource(review).create().getStatus().getAllowed());
  }

  /**
   * The HTTP status of the call: 200 when it worked, else the API server's code (403 = forbidden).
   */
  static int status(Callable<?> call) {
    try {
      call.call();
      return 200;
    } catch (KubernetesClientException e) {
      return e.getCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
