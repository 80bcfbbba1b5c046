// `netpol <command> --help`: one command's synopsis, its options (one line each) and an example.
// `netpol --help` (the overview of every command) stays in usage.ts.
import { builtinBackendNames } from "../backends/builtin.ts";
import { ALLOWED, COMMON, type Options } from "./options.ts";

/** How an option is shown: its value's placeholder (none for a flag) and one line of meaning. */
interface OptionHelp {
  readonly value?: string;
  readonly short?: string;
  readonly text: string;
}

// One entry per option of OPTIONS (options.ts): a new option does not type-check until it has its line.
const OPTION_HELP: { readonly [K in keyof Options]-?: OptionHelp } = {
  port: {
    value: "<number|name>",
    text: "the destination port: 1-65535, or a port name of the destination pod (list: a number, a filter)",
  },
  protocol: { value: "TCP|UDP|SCTP", text: "the protocol (default TCP, any case)" },
  profile: {
    value: "<name>",
    text: "conformance (default), ipblock-external (ipBlocks match no pod) or netpol-analyzer",
  },
  format: {
    value: "text|json|…",
    text: "the output format (default text; list: txt, json, csv, md, dot, svg)",
  },
  from: {
    value: "<ns/name|IP>",
    text: "the source: ns/name of a pod or workload (ns/name[Kind] when shared), or an IP address",
  },
  to: {
    value: "<ns/name|IP>",
    text: "the destination: ns/name of a pod or workload (ns/name[Kind] when shared), or an IP address",
  },
  flows: {
    value: "<file|->",
    text: "a JSON array of {from, to, port, protocol?, expect?} (not with --from/--to)",
  },
  expect: { value: "allow|deny", text: "exit 1 when the verdict differs (a CI assertion)" },
  backend: {
    value: "<name>",
    text: `the backend (${builtinBackendNames().join(", ") || "none built in yet"})`,
  },
  out: { value: "<dir>", text: "the directory to write the rules and a README into (made when missing)" },
  node: { value: "<name>", text: "only the pods on this node as subjects (pods elsewhere stay peers)" },
  "allow-unsupported": {
    text: "render even what the backend cannot express (each gap a warning on stderr)",
  },
  "pod-cidr": {
    value: "<cidr[,cidr]>",
    text: "where pods live (10.244.0.0/16,fd00::/48): decides address-less pods' ipBlock matches",
  },
  "group-by": {
    value: "owner",
    text: "one row and column per owner (a Deployment's pods together); ~ marks pairs that differ",
  },
  by: {
    value: "workload|pod",
    text: "matrix: one row and column per workload (as --group-by owner), or per pod (default)",
  },
  focus: {
    value: "<ns/name>",
    text: "list: only the connections from or to this workload (or the workload of this pod)",
  },
  namespace: { value: "<name>", text: "list: only the connections from or to a workload of this namespace" },
  "running-only": { text: "leave out Pending pods that have no address yet (finished pods always are)" },
  quiet: { short: "-q", text: "print no diagnostics on stderr" },
  verbose: {
    short: "-v",
    text: "print every diagnostic and every error (by default one line per kind, at most 20 errors)",
  },
  "all-diagnostics": { text: "the older name of --verbose" },
  help: { short: "-h", text: "print this help" },
};

/** What `netpol <command> --help` says besides the options, which come from ALLOWED and COMMON. */
interface CommandHelp {
  readonly synopsis: readonly string[];
  readonly summary: readonly string[];
  readonly examples: readonly string[];
}

const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  matrix: {
    synopsis: ["netpol matrix <inputs...> --port <number|name> [options]"],
    summary: ["Every ordered pair of pods (self pairs included) and whether it may connect on one port."],
    examples: ["netpol matrix examples/shop --port 8080 --protocol TCP"],
  },
  list: {
    synopsis: ["netpol list <inputs...> [--format txt|json|csv|md|dot|svg] [options]"],
    summary: [
      "Who may reach whom: per ordered pair of workloads and external address ranges, the connections",
      "allowed (port ranges per protocol, or All Connections); pairs with nothing allowed are left out.",
    ],
    examples: [
      "netpol list examples/shop",
      "netpol list examples/shop --focus shop/api --format json",
      "netpol list cluster-dump.json --profile netpol-analyzer --format svg > cluster.svg",
    ],
  },
  check: {
    synopsis: [
      "netpol check <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name> [options]",
      "netpol check <inputs...> --flows <file|-> [options]",
    ],
    summary: ["Whether one flow (or each flow of --flows) is allowed: allow, deny or unknown with a reason."],
    examples: [
      "netpol check examples/shop --from shop/frontend --to shop/api --port http --expect allow",
      "netpol check examples/shop --flows expectations.json",
    ],
  },
  explain: {
    synopsis: [
      "netpol explain <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name> [options]",
    ],
    summary: [
      "Why a flow is allowed or denied: per direction, whether that end is isolated and by which",
      "policies, and which rule allowed it.",
    ],
    examples: ["netpol explain examples/shop --from monitoring/prometheus --to shop/db --port 5432"],
  },
  convert: {
    synopsis: ["netpol convert <inputs...> [options]"],
    summary: [
      "AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1 printed as ClusterNetworkPolicy v1alpha2",
      "YAML (v1alpha2 input passed through).",
    ],
    examples: ["netpol convert old-anps/ > cnps.yaml"],
  },
  migrate: {
    synopsis: ["netpol migrate <inputs...> [options]"],
    summary: [
      "The whole input as multi-document YAML, with the seed's legacy API (net.alpha/v1alpha1 and",
      "extensions/v1beta1 NetworkPolicies, namespace isolation annotations) replaced by",
      "networking.k8s.io/v1 policies that decide the same (docs/legacy-api.md).",
    ],
    examples: ["netpol migrate old-manifests/ > migrated.yaml"],
  },
  render: {
    synopsis: ["netpol render <inputs...> --backend <name> --out <dir> [options]"],
    summary: [
      "The cluster's decision as the kernel rules of a backend, written into <dir> with a README on",
      "loading them.",
    ],
    examples: ["netpol render examples/shop --backend nftables --out rules/"],
  },
};

/** The option's left column: `-q, --quiet`, `--port <number|name>`. */
function optionLabel(name: keyof Options): string {
  const h = OPTION_HELP[name];
  return `${h.short === undefined ? "" : `${h.short}, `}--${name}${h.value === undefined ? "" : ` ${h.value}`}`;
}

/** The help of one command, or undefined when there is no such command. */
export function commandHelp(command: string): string | undefined {
  const help = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  const own = Object.hasOwn(ALLOWED, command) ? ALLOWED[command] : undefined;
  if (help === undefined || own === undefined) return undefined;
  const names = [...own, ...COMMON(command)];
  const width = Math.max(...names.map((n) => optionLabel(n).length));
  return [
    "Usage:",
    ...help.synopsis.map((s) => `  ${s}`),
    "",
    ...help.summary,
    "",
    "Inputs: YAML (multi-document) or JSON files, directories (recursive), or - for stdin.",
    "",
    "Options:",
    ...names.map((n) => `  ${optionLabel(n).padEnd(width)}  ${OPTION_HELP[n].text}`),
    "",
    help.examples.length === 1 ? "Example:" : "Examples:",
    ...help.examples.map((e) => `  ${e}`),
    "",
    command === "check"
      ? "Exit codes: 0 success, 1 an --expect (or a flow's expect) that did not hold, 2 bad input or usage."
      : "Exit codes: 0 success, 2 bad input or usage.",
    "",
  ].join("\n");
}
