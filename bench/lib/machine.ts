import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
  /** The file system the bench databases live on (the temp folder), as `df` names it. */
  disk: string;
  /** Load average when the bench started: the machine is shared, so other work shows in the figures. */
  loadAverage: number[];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

function disk(path: string): string {
  try {
    const out = execFileSync('df', ['-hT', path], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    const [device, type, size] = out.split(/\s+/);
    return `${device} ${type} ${size}`;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(tempDir: string, loadAverage: number[]): Machine {
  return {
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    disk: disk(tempDir),
    loadAverage: loadAverage.map((x) => Math.round(x * 100) / 100),
  };
}
