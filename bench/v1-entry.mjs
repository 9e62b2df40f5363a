await Promise.all([
  import('@slack/bolt'),
  import('@slack/web-api'),
  import('better-sqlite3'),
  import('pino'),
  import('zod'),
  import('dotenv'),
]);
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/bin.ts');
