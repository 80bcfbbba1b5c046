// `netpol --help`: the overview of every command (one command's help: help.ts).
import { builtinBackendNames } from "../backends/builtin.ts";

const BACKEND_LIST: string = builtinBackendNames().join(", ") || "none built in yet";

export const USAGE: string = `netpol — Kubernetes network policy, decided exactly (netpol-engine)

Usage:
  netpol matrix  <inputs...> --port <number|name> [--protocol TCP|UDP|SCTP] [--profile <name>] [--format text|json]
                 [--by workload]   one row and column per workload (a Deployment's pods together;
                                   --group-by owner is its older name)
                 [--pod-cidr <cidr[,cidr]>]   (check and explain take it too)
  netpol list    <inputs...> [--format txt|json|csv|md|dot|svg] [--focus <ns/name>] [--namespace <ns>]
                 [--port <number>] [--protocol TCP|UDP|SCTP] [--profile <name>]
                                 per ordered pair of workloads and external address ranges, the
                                 connections allowed (port ranges per protocol, or All Connections)
  netpol check   <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name>
                 [--protocol TCP] [--profile <name>] [--format text|json] [--expect allow|deny]
  netpol check   <inputs...> --flows <file|->        (a JSON array of {from, to, port, protocol?, expect?})
  netpol explain <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name>
                 [--protocol TCP] [--profile <name>] [--format text|json]
  netpol convert <inputs...>     AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1 as
                                 ClusterNetworkPolicy v1alpha2 YAML (v1alpha2 input passed through)
  netpol migrate <inputs...>     the whole input with the 1.2/1.3 legacy API (net.alpha v1alpha1,
                                 extensions/v1beta1 + namespace isolation) as networking.k8s.io/v1
  netpol render  <inputs...> --backend <name> --out <dir> [--node <name>] [--profile <name>]
                 [--allow-unsupported]   the rules of a backend (${BACKEND_LIST}) written into <dir>
                                 with a README on loading them; --node: only that node's pods as subjects

Inputs: YAML (multi-document) or JSON files, directories (recursive), or - for stdin: Pods,
        workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
        CronJob), Namespaces, Nodes and policies. Endpoints: ns/name (a pod, or a workload without
        pods in the input, or the owner of pods), ns/name[Kind] when a name is shared, or an IP.
        --running-only leaves out Pending pods that have no address yet.
Profiles: conformance (default), ipblock-external, netpol-analyzer (netpol-analyzer's choices).
Pods without an address (no status.podIPs, manifests from git): a verdict between two of them that
         depends on an ipBlock / networks CIDR is unknown unless --pod-cidr <cidr[,cidr]> (matrix,
         check, explain) says where pods live, e.g. --pod-cidr 10.244.0.0/16,fd00::/48.
Options: --quiet (-q) prints no diagnostics; by default each kind is one line with its count and
         first objects; --verbose (-v, or --all-diagnostics) prints every diagnostic and every error
         (errors are cut after 20 by default, each part after 200 characters).
Limits: each input 256 MiB (YAML and JSON alike), read in chunks (a pipe that never ends is refused
         at the limit); devices and sockets are refused as not regular files.
Exit codes: 0 success, 1 an --expect (or a flow's expect) that did not hold, 2 bad input or usage.

netpol <command> --help (or netpol help <command>) prints one command's options and an example;
netpol --version prints the version.
`;
