// Small clusters for backend tests and golden files: the kernel suite's tiny cluster, and one with
// every tier, a same-namespace rule, port ranges, an ipBlock with an except and dual-stack nodes.
import { parseCluster } from "../../src/io/parse-cluster.ts";
import type { Cluster } from "../../src/model/types.ts";
import { tinyCluster } from "../kernel/fixtures/tiny-cluster.ts";

const TIERED_YAML = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: v1
kind: Namespace
metadata: { name: ops, labels: { team: ops } }
---
apiVersion: v1
kind: Node
metadata: { name: n0 }
status: { addresses: [{ type: InternalIP, address: 10.1.0.1 }, { type: InternalIP, address: "fd01::1" }] }
---
apiVersion: v1
kind: Node
metadata: { name: n1 }
status: { addresses: [{ type: InternalIP, address: 10.1.0.2 }, { type: InternalIP, address: "fd01::2" }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { nodeName: n0, containers: [{ name: c }] }
status: { podIPs: [{ ip: 10.2.0.1 }, { ip: "fd02::1" }] }
---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec: { nodeName: n1, containers: [{ name: c }] }
status: { podIPs: [{ ip: 10.2.0.2 }, { ip: "fd02::2" }] }
---
apiVersion: v1
kind: Pod
metadata: { name: monitor, namespace: ops, labels: { app: monitor } }
spec: { nodeName: n1, containers: [{ name: c }] }
status: { podIPs: [{ ip: 10.2.1.1 }, { ip: "fd02::1:1" }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ protocol: TCP, port: 5432, endPort: 5440 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ podSelector: {} }]
    - to: [{ ipBlock: { cidr: 192.0.2.0/24, except: [192.0.2.128/25] } }]
      ports: [{ protocol: UDP, port: 53 }]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: ops-monitoring }
spec:
  tier: Admin
  priority: 10
  subject: { namespaces: {} }
  ingress:
    - name: monitor-metrics
      action: Accept
      from: [{ namespaces: { matchLabels: { team: ops } } }]
      protocols: [{ tcp: { destinationPort: { number: 9090 } } }]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: baseline-deny-ops }
spec:
  tier: Baseline
  priority: 5
  subject: { namespaces: { matchLabels: { team: shop } } }
  ingress:
    - name: no-ops
      action: Deny
      from: [{ namespaces: { matchLabels: { team: ops } } }]
`;

export const tieredCluster: Cluster = parseCluster([{ name: "tiered.yaml", text: TIERED_YAML }]).cluster;

export const SCENARIOS: readonly { readonly name: string; readonly cluster: Cluster }[] = [
  { name: "tiny", cluster: tinyCluster },
  { name: "tiered", cluster: tieredCluster },
];
