// The name rules of k8s.io/apimachinery/pkg/util/validation (validation.go): each function returns
// `undefined` for a valid value, else the reason (without the value; callers add it).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME_CHARS = /^[-a-z0-9]+$/;

/**
 * `IsDNS1123Label`: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
 *
 * @example
 * dns1123LabelError("Prod") // "must consist of lower case alphanumeric characters or '-', …"
 */
export function dns1123LabelError(name: string): string | undefined {
  if (name.length > 63) return "must be no more than 63 characters";
  if (!DNS1123_LABEL.test(name))
    return "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (a DNS-1123 label)";
  return undefined;
}

/** `IsDNS1123Subdomain`: at most 253 characters, dot-separated DNS-1123 labels. */
export function dns1123SubdomainError(name: string): string | undefined {
  if (name.length > 253) return "must be no more than 253 characters";
  if (name.length === 0 || !name.split(".").every((part) => DNS1123_LABEL.test(part)))
    return "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (a DNS-1123 subdomain)";
  return undefined;
}

/** `IsQualifiedName`, the rule for label keys: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split("/");
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) return "prefix part must be non-empty";
    const bad = dns1123SubdomainError(prefix);
    if (bad !== undefined) return `prefix part ${bad}`;
  } else if (parts.length > 2) {
    return "must be a qualified name: an optional DNS subdomain prefix and '/', then a name";
  }
  if (name.length === 0) return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!QUALIFIED_NAME.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** `IsValidLabelValue`: empty, or ≤ 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (!LABEL_VALUE.test(value))
    return "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/**
 * `IsValidPortName` (IANA_SVC_NAME, RFC 6335): 1–15 characters of a-z, 0-9 and '-', at least one
 * letter, no leading, trailing or doubled '-'. So `"80"` (a quoted number) is not a port name.
 */
export function portNameError(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return "must be no more than 15 characters (IANA_SVC_NAME)";
  if (!PORT_NAME_CHARS.test(name))
    return "must contain only lower case alphanumerics and '-' (IANA_SVC_NAME)";
  if (!/[a-z]/.test(name))
    return /^[0-9]+$/.test(name)
      ? "must contain at least one letter (IANA_SVC_NAME); write a numeric port without quotes"
      : "must contain at least one letter (IANA_SVC_NAME)";
  if (name.includes("--")) return "must not contain consecutive hyphens (IANA_SVC_NAME)";
  if (name.startsWith("-") || name.endsWith("-"))
    return "must not begin or end with a hyphen (IANA_SVC_NAME)";
  return undefined;
}

/** `IsValidPortNum`: an integer 1–65535. */
export function portNumberError(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : "must be between 1 and 65535, inclusive";
}
