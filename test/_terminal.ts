import { PassThrough } from 'node:stream';

/** Drives clack through streams: waits for a prompt's text, then types keys. */
export function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const printed: string[] = [];
  const errors: string[] = [];
  const waitFor = async (text: string, from: number) => {
    for (let i = 0; i < 200; i++) {
      const idx = screen.indexOf(text, from);
      if (idx >= 0) return idx + text.length;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`prompt "${text}" never appeared; screen:\n${screen}`);
  };
  return {
    input,
    output,
    out: { print: (t: string) => printed.push(t), error: (t: string) => errors.push(t) },
    printed,
    errors,
    screen: () => screen,
    /** Answers each prompt in turn: wait for its message, then send the keys. */
    async answer(steps: Array<[string, string]>) {
      let at = 0;
      for (const [message, keys] of steps) {
        at = await waitFor(message, at);
        await new Promise((r) => setTimeout(r, 20));
        input.write(keys);
      }
    },
  };
}
