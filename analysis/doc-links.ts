// Where each diagnostic code is explained in docs/diagnostics.md: one `## <code>` section per code.
// Hosts turn the line into a link (the language server sends it as the diagnostic's codeDescription).

/** 0-based line of each `## code` heading. */
export function diagnosticSections(markdown: string): Map<string, number> {
  const sections = new Map<string, number>();
  markdown.split('\n').forEach((line, i) => {
    const heading = /^## ([a-z-]+)\s*$/.exec(line);
    if (heading) sections.set(heading[1], i);
  });
  return sections;
}
