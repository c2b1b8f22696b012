/** prettier parser for each output kind we format; other files are written as rendered. */
function parserFor(path: string): string | undefined {
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.json$/.test(path)) return 'json';
  if (/\.md$/.test(path)) return 'markdown';
  return undefined;
}

let prettier: typeof import('prettier') | undefined;

/** Formats YAML, JSON and Markdown with prettier (loaded only when a plan needs it). */
export async function formatOutput(path: string, text: string): Promise<string> {
  const parser = parserFor(path);
  if (!parser) return text.endsWith('\n') ? text : `${text}\n`;
  prettier ??= await import('prettier');
  return prettier.format(text, { parser, printWidth: 100, proseWrap: 'preserve' });
}
