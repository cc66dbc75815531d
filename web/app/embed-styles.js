// The stylesheets a <train-scope> links into its shadow root (as <link>: a strict
// Content-Security-Policy refuses inline styles). In the npm package (scripts/prepack.mjs) this
// module is replaced by one naming embed/trainscope-embed.css, the two files joined: one file
// large enough that bundlers emit it as a file instead of inlining it as a data: URL, which such
// a policy refuses too.
export const EMBED_STYLESHEETS = [
  new URL('../vendor/uplot/uPlot.min.css', import.meta.url),
  new URL('../style.css', import.meta.url),
];
