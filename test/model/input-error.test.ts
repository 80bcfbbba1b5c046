// InputError's message: bounded, whatever the issues hold (the issues themselves stay whole).
import { describe, expect, it } from "vitest";
import { formatIssueShort, InputError, MAX_ISSUE_PART } from "../../src/model/input-error.ts";

describe("InputError", () => {
  it("lists the first 20 issues, each part cut to MAX_ISSUE_PART characters; issues stay whole", () => {
    const long = "x".repeat(10_000);
    const issues = Array.from({ length: 25 }, (_, i) => ({
      code: "invalid-name",
      file: "f.yaml",
      object: `Pod ns/${long}`,
      path: `metadata.labels.${long}`,
      message: `bad ${i} ${long}`,
    }));
    const e = new InputError(issues);
    const lines = e.message.split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe("... and 5 more");
    for (const line of lines.slice(0, 20)) expect(line.length).toBeLessThan(4 * (MAX_ISSUE_PART + 2) + 20);
    expect(lines[0]).toBe(formatIssueShort(issues[0]!));
    expect(lines[0]).toContain("…");
    expect(e.issues[0]!.message).toHaveLength(long.length + 6);
  });
});
