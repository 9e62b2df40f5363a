// Every figure the bench prints: its value, the goal it is held to (if any) and whether it met it.

export type Comparison = '<' | '<=' | '>=' | '>';

export interface Goal {
  op: Comparison;
  target: number;
}

export interface Figure {
  scenario: string;
  figure: string;
  value: number;
  unit: string;
  goal: Goal | null;
  met: boolean | null;
  note?: string;
}

export function check(value: number, goal: Goal): boolean {
  if (!Number.isFinite(value)) return false;
  switch (goal.op) {
    case '<':
      return value < goal.target;
    case '<=':
      return value <= goal.target;
    case '>=':
      return value >= goal.target;
    case '>':
      return value > goal.target;
  }
}

export function figure(
  scenario: string,
  name: string,
  value: number,
  unit: string,
  goal: Goal | null = null,
  note?: string,
): Figure {
  return {
    scenario,
    figure: name,
    value,
    unit,
    goal,
    met: goal ? check(value, goal) : null,
    ...(note ? { note } : {}),
  };
}

function show(value: number, unit: string): string {
  const text = Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
  return unit === '×' ? `${text}×` : `${text} ${unit}`;
}

/** The human-readable table: one line per figure, goals and verdicts beside them. */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.scenario,
    f.figure,
    show(f.value, f.unit),
    f.goal ? `${f.goal.op} ${show(f.goal.target, f.unit)}` : '',
    f.met === null ? '' : f.met ? 'met' : 'NOT MET',
  ]);
  const header = ['scenario', 'figure', 'value', 'goal', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
