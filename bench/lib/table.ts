// Markdown tables, and replacing one section of a markdown file with new content.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A number with about three significant digits and thousands separators. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Replaces the `## <title>` section of a markdown file (up to the next `## ` heading) with `body`,
 * keeping its hand-written `### ` subsections, or appends it; creates the file with `preamble`
 * when it does not exist.
 */
export function writeSection(path: string, title: string, body: string, preamble = ''): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : preamble;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) {
    writeFileSync(path, `${text.trimEnd()}${text.trim() ? '\n\n' : ''}${section}`);
    return;
  }
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  // Hand-written `### ` subsections (analysis of the figures) stay unless the new body has its own.
  const notesAt = lines.slice(start + 1, end).findIndex((l) => l.startsWith('### '));
  const notes = notesAt >= 0 && !/^### /m.test(body) ? ['', ...lines.slice(start + 1 + notesAt, end)] : [];
  const out = [...lines.slice(0, start), ...section.split('\n'), ...notes, ...lines.slice(end)].join('\n');
  writeFileSync(path, out.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n');
}
