{{/*
Names the operator's code fixes (operator/src/main/java/dev/vrrp/operator): the agents' service
account (AgentDaemonSet.SERVICE_ACCOUNT), the namespace of the Events the operator records for the
cluster-scoped VirtualIPs (KubernetesEventRecorder.NAMESPACE) and the leader-election Lease
(OperatorSettings.LEASE_NAME). The chart's tests check them against those constants.
*/}}
{{- define "vrrp-operator.operatorName" -}}vrrp-operator{{- end -}}
{{- define "vrrp-operator.agentName" -}}vrrp-agent{{- end -}}
{{- define "vrrp-operator.eventsNamespace" -}}default{{- end -}}
{{- define "vrrp-operator.leaseName" -}}vrrp-operator{{- end -}}

{{/* Labels every object of the release carries; name, instance and component are added per object. */}}
{{- define "vrrp-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: vrrp-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The labels that select the operator's pods (never change them: Deployment selectors are immutable). */}}
{{- define "vrrp-operator.operatorSelectorLabels" -}}
app.kubernetes.io/name: vrrp-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "vrrp-operator.operatorLabels" -}}
{{ include "vrrp-operator.labels" . }}
{{ include "vrrp-operator.operatorSelectorLabels" . }}
{{- end -}}

{{/* The agent's objects (service account and RBAC); the operator labels the DaemonSet itself. */}}
{{- define "vrrp-operator.agentLabels" -}}
{{ include "vrrp-operator.labels" . }}
app.kubernetes.io/name: vrrp-agent
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end -}}

{{- define "vrrp-operator.operatorImage" -}}
{{ .Values.operator.image.repository }}:{{ .Values.operator.image.tag }}
{{- end -}}

{{- define "vrrp-operator.agentImage" -}}
{{ .Values.agent.image.repository }}:{{ .Values.agent.image.tag }}
{{- end -}}

{{/* The jar operator/Dockerfile copies into the image; the container command runs it. */}}
{{- define "vrrp-operator.operatorJar" -}}/opt/vrrp/operator.jar{{- end -}}
