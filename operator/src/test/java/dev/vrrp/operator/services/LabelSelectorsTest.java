package dev.vrrp.operator.services;

import static dev.vrrp.operator.services.TestServices.labels;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
  @Test
  void noSelectorOrAnEmptyOneMatchesEverything() {
    assertThat(LabelSelectors.matches(null, labels())).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelector(), labels("a", "b"))).isTrue();
  }

  @Test
  void matchLabelsAndEveryOperatorHaveKubernetesMeaning() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addToMatchLabels("team", "edge")
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("In")
            .withValues("web", "api")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("env")
            .withOperator("NotIn")
            .withValues("test")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("public")
            .withOperator("Exists")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("legacy")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();
    assertThat(
            LabelSelectors.matches(selector, labels("team", "edge", "tier", "web", "public", "")))
        .isTrue();
    assertThat(
            LabelSelectors.matches(
                selector, labels("team", "edge", "tier", "web", "public", "", "env", "prod")))
        .as("NotIn passes another value")
        .isTrue();
    assertThat(
            LabelSelectors.matches(selector, labels("team", "core", "tier", "web", "public", "")))
        .isFalse();
    assertThat(LabelSelectors.matches(selector, labels("team", "edge", "tier", "db", "public", "")))
        .isFalse();
    assertThat(
            LabelSelectors.matches(
                selector, labels("team", "edge", "tier", "web", "public", "", "env", "test")))
        .isFalse();
    assertThat(LabelSelectors.matches(selector, labels("team", "edge", "tier", "web"))).isFalse();
    assertThat(
            LabelSelectors.matches(
                selector, labels("team", "edge", "tier", "web", "public", "", "legacy", "1")))
        .isFalse();
  }
}
