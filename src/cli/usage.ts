// `netpol --help`.
import { builtinBackendNames } from "../backends/builtin.ts";

const BACKEND_LIST: string = builtinBackendNames().join(", ") || "none built in yet";

export const USAGE: string = `netpol — Kubernetes network policy, decided exactly (netpol-engine)

Usage:
  netpol matrix  <inputs...> --port <number|name> [--protocol TCP|UDP|SCTP] [--profile <name>] [--format text|json]
                 [--pod-cidr <cidr[,cidr]>]   (check and explain take it too)
  netpol check   <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name>
                 [--protocol TCP] [--profile <name>] [--format text|json] [--expect allow|deny]
  netpol check   <inputs...> --flows <file|->        (a JSON array of {from, to, port, protocol?, expect?})
  netpol explain <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name>
                 [--protocol TCP] [--profile <name>] [--format text|json]
  netpol convert <inputs...>     AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1 as
                                 ClusterNetworkPolicy v1alpha2 YAML (v1alpha2 input passed through)
  netpol render  <inputs...> --backend <name> --out <dir> [--node <name>] [--profile <name>]
                 [--allow-unsupported]   the rules of a backend (${BACKEND_LIST}) written into <dir>
                                 with a README on loading them; --node: only that node's pods as subjects

Inputs: YAML (multi-document) or JSON files, directories (recursive), or - for stdin.
Profiles: conformance (default), ipblock-external.
Pods without an address (no status.podIPs, manifests from git): a verdict between two of them that
         depends on an ipBlock / networks CIDR is unknown unless --pod-cidr <cidr[,cidr]> (matrix,
         check, explain) says where pods live, e.g. --pod-cidr 10.244.0.0/16,fd00::/48.
Options: --quiet suppresses diagnostics on stderr; --all-diagnostics prints every one (by default
         each kind's first 5, then a count of the rest).
Exit codes: 0 success, 1 an --expect (or a flow's expect) that did not hold, 2 bad input or usage.
`;
