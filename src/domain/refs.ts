// Every reference a person sees or a button carries: `INC-n` (incident), `ROT-n` (rotation), `REM-n` (reminder),
// `LEAK-n` (a leaked key).
// Built and parsed only here, so a stream name, a button value and a typed id always agree.

export const REF_PREFIX = { incident: 'INC', rotation: 'ROT', reminder: 'REM', leak: 'LEAK' } as const;
export type RefKind = keyof typeof REF_PREFIX;

/** At most nine digits: anything longer is not an id the bot made. */
const REF = /^(INC|ROT|REM|LEAK)-(\d{1,9})$/;
/** `INC-7` exactly, for zod `.regex()` on button values. */
export const INCIDENT_REF_PATTERN = /^INC-\d{1,9}$/;
export const ROTATION_REF_PATTERN = /^ROT-\d{1,9}$/;
export const LEAK_REF_PATTERN = /^LEAK-\d{1,9}$/;

export const incidentRef = (id: number): string => `${REF_PREFIX.incident}-${id}`;
export const rotationRef = (id: number): string => `${REF_PREFIX.rotation}-${id}`;
export const reminderRef = (id: number): string => `${REF_PREFIX.reminder}-${id}`;
export const leakRef = (id: number): string => `${REF_PREFIX.leak}-${id}`;

export interface ParsedRef {
  kind: RefKind;
  id: number;
}

/** `INC-3` → { kind: 'incident', id: 3 }; null for anything else. Case-insensitive when `anyCase` (typed by people). */
export function parseRef(text: string, anyCase = false): ParsedRef | null {
  const match = REF.exec(anyCase ? text.toUpperCase() : text);
  if (!match) return null;
  const kind = (Object.keys(REF_PREFIX) as RefKind[]).find((k) => REF_PREFIX[k] === match[1]);
  return kind ? { kind, id: Number(match[2]) } : null;
}

/** The number of `INC-n`, or null when the text is not an incident ref. */
export function parseIncidentRef(text: string, anyCase = false): number | null {
  const ref = parseRef(text, anyCase);
  return ref?.kind === 'incident' ? ref.id : null;
}
