// `netpol list --format svg`: Graphviz's own layout, run as WebAssembly (@hpcc-js/wasm-graphviz),
// so no `dot` binary is needed.

/**
 * The SVG Graphviz's `dot` layout draws for `dot` (as `formatDot` writes it). The WebAssembly
 * module (~0.8 MB of script) is imported on the first call only, and kept by the library for the
 * next; the result depends only on `dot` and the library's Graphviz version. A DOT syntax error
 * rejects with Graphviz's message.
 *
 * @example
 * const svg = await renderSvg(formatDot(list)); // "<?xml …?>\n…<svg width=…"
 */
export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, "svg");
}
