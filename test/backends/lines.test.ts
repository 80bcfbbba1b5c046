// Lines (src/backends/shared/lines.ts): the chunked text gives exactly the lines pushed, in order,
// across chunk boundaries and when another Lines is appended.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { Lines } from "../../src/backends/shared/lines.ts";

test.prop(
  [
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 5000 }),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3000 }),
  ],
  { numRuns: 30 },
)("text() is every line followed by a newline, pushLines appends in order", (a, b) => {
  const first = new Lines();
  for (const l of a) first.push(l);
  const second = new Lines();
  for (const l of b) second.push(l);
  first.pushLines(second);
  first.push("end");
  const want = [...a, ...b, "end"].map((l) => `${l}\n`).join("");
  expect(first.text()).toBe(want);
  expect(second.text()).toBe(b.map((l) => `${l}\n`).join(""));
});

test.prop(
  [
    fc.array(
      fc.oneof(
        fc.string({ maxLength: 5 }),
        fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3000 }),
      ),
      { maxLength: 50 },
    ),
  ],
  { numRuns: 30 },
)("pushBlock keeps a joined block of lines in its place among single lines", (items) => {
  const lines = new Lines();
  for (const item of items) {
    if (typeof item === "string") lines.push(item);
    else lines.pushBlock(item.join("\n"));
  }
  expect(lines.text()).toBe(
    items
      .flatMap((item) => (typeof item === "string" ? [item] : item))
      .map((l) => `${l}\n`)
      .join(""),
  );
});
