/** A GitHub-flavoured Markdown table: what each bench writes beside its JSON in bench/results/. */
export const markdownTable = (headers: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  [headers, headers.map(() => '---'), ...rows.map((row) => row.map(String))]
    .map((cells) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)
    .join('\n');
