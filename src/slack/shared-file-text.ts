import { z } from 'zod';

// Text snippets and small text files shared in a channel are read for keys like the message itself
// (PRODUCT.md section 7). The content is fetched with the bot token, so the token is sent only to Slack's own file
// host (or the configured API host, for GovSlack and tests), and only a capped number of bytes is read.

export const MAX_SHARED_FILE_BYTES = 256 * 1024;
const MAX_FILES_PER_MESSAGE = 10;
const TEXT_FILETYPES = new Set([
  'text',
  'javascript',
  'typescript',
  'json',
  'yaml',
  'shell',
  'python',
  'markdown',
  'csv',
  'log',
  'env',
  'dotenv',
  'ruby',
  'go',
  'java',
  'php',
  'sql',
  'xml',
  'toml',
  'ini',
  'diff',
  'post',
]);

export const sharedFileSchema = z.object({
  id: z.string().max(40),
  mimetype: z.string().max(200).optional(),
  filetype: z.string().max(60).optional(),
  mode: z.string().max(40).optional(),
  size: z.number().int().nonnegative().optional(),
  url_private: z.string().url().max(2000).optional(),
  preview: z.string().max(200_000).optional(),
});
export type SharedFile = z.infer<typeof sharedFileSchema>;

export interface SharedFileReaderOptions {
  botToken: string;
  /** Hosts the bot token may be sent to: Slack's file host and the configured API host. */
  allowedHosts: string[];
  fetch?: typeof fetch;
  maxBytes?: number;
}

export type SharedFileReader = (files: readonly SharedFile[]) => Promise<string[]>;

export function isTextFile(file: SharedFile): boolean {
  return (
    (file.mimetype?.startsWith('text/') ?? false) || TEXT_FILETYPES.has(file.filetype ?? '') || file.mode === 'snippet'
  );
}

/** The text of each small text file (too large, binary or unreachable files give their preview or nothing). */
export function sharedFileReader(options: SharedFileReaderOptions): SharedFileReader {
  const maxBytes = options.maxBytes ?? MAX_SHARED_FILE_BYTES;
  const doFetch = options.fetch ?? fetch;
  return async (files) => {
    const texts: string[] = [];
    for (const file of files.slice(0, MAX_FILES_PER_MESSAGE)) {
      if (file.preview) texts.push(file.preview);
      if (!isTextFile(file) || !file.url_private || (file.size ?? 0) > maxBytes) continue;
      const url = new URL(file.url_private);
      if (!options.allowedHosts.includes(url.host)) continue;
      const response = await doFetch(url, {
        headers: { authorization: `Bearer ${options.botToken}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(5_000),
      });
      if (response.status !== 200 || !response.body) continue;
      texts.push(await readCapped(response.body, maxBytes));
    }
    return texts;
  };
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    chunks.push(value);
    total += value.length;
    if (total >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
