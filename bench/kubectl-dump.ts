// A generated cluster as `kubectl get namespaces,pods,networkpolicies -A -o json|yaml` prints it: one
// `List` whose items carry the metadata noise real dumps have (managedFields, ownerReferences,
// annotations, conditions, container statuses, volumes), ~4 KB of YAML per pod. Deterministic.
import { dump } from "js-yaml";
import type { Cluster, NetworkPolicy, Pod } from "../src/model/types.ts";

const TIME = "2026-11-02T09:14:27Z";
const hex = (n: number, width: number): string => (n >>> 0).toString(16).padStart(width, "0").slice(-width);
const uid = (i: number): string =>
  `${hex(i * 2654435761, 8)}-${hex(i * 40503, 4)}-4${hex(i, 3)}-a${hex(i * 7, 3)}-${hex(i * 97, 12)}`;

const managedFields = (manager: string, fields: object): object[] => [
  {
    apiVersion: "v1",
    fieldsType: "FieldsV1",
    fieldsV1: fields,
    manager,
    operation: "Update",
    time: TIME,
  },
];

function namespaceObject(name: string, labels: Readonly<Record<string, string>>, i: number): object {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      creationTimestamp: TIME,
      labels: { ...labels, "kubernetes.io/metadata.name": name },
      managedFields: managedFields("kubectl-create", { "f:metadata": { "f:labels": { ".": {} } } }),
      name,
      resourceVersion: String(1000 + i),
      uid: uid(i),
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

function podObject(p: Pod, i: number): object {
  const rs = `${p.name}-${hex(i * 31, 10)}`;
  const ports = p.ports.map((q) => ({ ...q }));
  const container = {
    image: `registry.example.com/${p.labels.app ?? "infra"}:1.${i % 9}.${i % 7}`,
    imagePullPolicy: "IfNotPresent",
    name: p.labels.app ?? "main",
    ports,
    resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    volumeMounts: [
      {
        mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
        name: `kube-api-access-${hex(i, 5)}`,
        readOnly: true,
      },
    ],
  };
  const condition = (type: string) => ({
    lastProbeTime: null,
    lastTransitionTime: TIME,
    status: "True",
    type,
  });
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      annotations: { "kubectl.kubernetes.io/restartedAt": TIME, "prometheus.io/scrape": "true" },
      creationTimestamp: TIME,
      generateName: `${rs}-`,
      labels: { ...p.labels, "pod-template-hash": hex(i * 13, 10) },
      managedFields: managedFields("kube-controller-manager", {
        "f:metadata": { "f:generateName": {}, "f:labels": { ".": {}, "f:app": {} }, "f:ownerReferences": {} },
        "f:spec": { "f:containers": { [`k:{"name":"${container.name}"}`]: { ".": {}, "f:image": {} } } },
      }),
      name: p.name,
      namespace: p.namespace,
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          blockOwnerDeletion: true,
          controller: true,
          kind: "ReplicaSet",
          name: rs,
          uid: uid(i + 1),
        },
      ],
      resourceVersion: String(200_000 + i),
      uid: uid(i + 7),
    },
    spec: {
      containers: [container],
      dnsPolicy: "ClusterFirst",
      enableServiceLinks: true,
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      nodeName: p.nodeName,
      preemptionPolicy: "PreemptLowerPriority",
      priority: 0,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      securityContext: {},
      serviceAccount: "default",
      serviceAccountName: "default",
      terminationGracePeriodSeconds: 30,
      tolerations: [
        {
          effect: "NoExecute",
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          tolerationSeconds: 300,
        },
        {
          effect: "NoExecute",
          key: "node.kubernetes.io/unreachable",
          operator: "Exists",
          tolerationSeconds: 300,
        },
      ],
      volumes: [
        {
          name: `kube-api-access-${hex(i, 5)}`,
          projected: {
            defaultMode: 420,
            sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }],
          },
        },
      ],
    },
    status: {
      conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map(condition),
      containerStatuses: [
        {
          containerID: `containerd://${hex(i * 7919, 12)}${hex(i * 104729, 12)}`,
          image: container.image,
          imageID: `registry.example.com/${container.name}@sha256:${hex(i * 15485863, 16)}`,
          lastState: {},
          name: container.name,
          ready: true,
          restartCount: i % 3,
          started: true,
          state: { running: { startedAt: TIME } },
        },
      ],
      hostIP: p.hostIP,
      hostIPs: [{ ip: p.hostIP }],
      phase: "Running",
      podIP: p.podIPs[0],
      podIPs: p.podIPs.map((ip) => ({ ip })),
      qosClass: "Burstable",
      startTime: TIME,
    },
  };
}

function policyObject(np: NetworkPolicy, i: number): object {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      creationTimestamp: TIME,
      generation: 1,
      name: np.name,
      namespace: np.namespace,
      resourceVersion: String(500_000 + i),
      uid: uid(i + 13),
    },
    spec: np.spec,
  };
}

/** The cluster as one `List` object: namespaces, then pods, then network policies. */
export function kubectlList(cluster: Cluster): object {
  const items: object[] = [
    ...cluster.namespaces.map((n, i) => namespaceObject(n.name, n.labels, i)),
    ...cluster.pods.map(podObject),
    ...cluster.networkPolicies.map(policyObject),
  ];
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

/** `-o json`: indented by 4, as kubectl prints it. */
export const kubectlJson = (list: object): string => `${JSON.stringify(list, null, 4)}\n`;

/** `-o yaml`: block style, sequences not indented under their key (go-yaml's layout). */
export const kubectlYaml = (list: object): string =>
  dump(list, { seqNoIndent: true, lineWidth: -1, noRefs: true });
