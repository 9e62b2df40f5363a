/** Every way a real paste has been seen to wrap a key; `key` is whole and random, the wrapping is around it. */
export function wrappings(key: string): { name: string; text: string }[] {
  const prefix = key.startsWith('sk_live_') ? 'sk_live_'.length : 'sk_test_'.length;
  const cut = prefix + 12;
  return [
    { name: 'plain', text: `key ${key} here` },
    { name: 'Markdown bold', text: `__${key}__` },
    { name: 'after an identifier and underscore', text: `KEY_${key}` },
    { name: 'glued to a word', text: `foo${key}` },
    { name: 'ANSI colour code with ESC', text: `\x1b[32m${key}\x1b[0m` },
    { name: 'ANSI colour code without ESC', text: `[32m${key}[0m` },
    { name: 'wrapped across two lines', text: `${key.slice(0, cut)}\n${key.slice(cut)}` },
    { name: 'wrapped in a code block', text: `\`\`\`\nexport K=${key.slice(0, cut)}\n  ${key.slice(cut)}\n\`\`\`` },
    { name: 'wrapped in a quoted log excerpt', text: `> 12:00 key=${key.slice(0, cut)}\r\n> ${key.slice(cut)} ok` },
    { name: 'wrapped inside the prefix', text: `${key.slice(0, 5)}\n${key.slice(5)}` },
    { name: 'JSON-escaped line break', text: JSON.stringify(`${key.slice(0, cut)}\n${key.slice(cut)}`) },
  ];
}

/** Pieces of a key's body that must never be found anywhere: everything but its last four characters. */
export function needlesOf(key: string): string[] {
  const body = key.slice('sk_live_'.length);
  return [body.slice(0, 12), body.slice(12, 24), body.slice(-16, -4)];
}
