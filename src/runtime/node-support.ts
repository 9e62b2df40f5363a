/** The Node.js lines the bot supports: the current LTS lines, and Node 20 for as long as CI machines still ship it. */
export const SUPPORTED_MAJORS = [22, 24] as const;
/** The oldest line that still runs. It and the odd line after it are past their end of life (20: 2026-04-30). */
const OLDEST_MAJOR = 20;

export type NodeSupport =
  | { verdict: 'supported' }
  | { verdict: 'end-of-life'; message: string }
  | { verdict: 'refused'; message: string };

/** Judges a `process.versions.node` string. Anything that is not a version is refused rather than guessed at. */
export function nodeSupport(version: string): NodeSupport {
  const major = /^v?(\d+)\.\d+\.\d+/.exec(version)?.[1];
  const number = major === undefined ? Number.NaN : Number(major);
  if (!Number.isInteger(number) || number < OLDEST_MAJOR) {
    return {
      verdict: 'refused',
      message: `paykore-bot needs Node.js 22 or 24 (or 20, which is past its end of life); this is Node.js ${version}. Install a current LTS release from https://nodejs.org and run it again.`,
    };
  }
  if (number < SUPPORTED_MAJORS[0]) {
    return {
      verdict: 'end-of-life',
      message: `Warning: Node.js ${version} is past its end of life and gets no security fixes. paykore-bot still runs on it, but supports Node.js 22 and 24: upgrade when you can.`,
    };
  }
  return { verdict: 'supported' };
}
