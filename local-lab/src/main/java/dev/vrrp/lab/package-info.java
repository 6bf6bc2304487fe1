/**
 * The whole product on one machine ({@code ./lab}) and the harness every integration test shares:
 * network namespaces and a bridge for the segment ({@link dev.vrrp.lab.Segment}), a real
 * kube-apiserver and etcd ({@link dev.vrrp.lab.ApiServer}, {@link dev.vrrp.lab.SharedApiServer}),
 * real kubelets with containerd per node ({@link dev.vrrp.lab.RealCluster}), images built from
 * Debian packages ({@link dev.vrrp.lab.OciImages}), the Kubernetes version in one place ({@link
 * dev.vrrp.lab.KubernetesVersion}) and the external tools looked up once ({@link
 * dev.vrrp.lab.ExternalTools}). Test traffic stays inside the namespaces created here.
 */
package dev.vrrp.lab;
