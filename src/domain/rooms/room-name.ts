// Slack channel names: lowercase letters, digits, `-` and `_`, at most 80 characters (conversations.create's rules).

export const MAX_ROOM_NAME = 80;

/** The label as Slack accepts it: every other character becomes `-`, runs of `-` collapse, edges are trimmed. */
export function slugForRoom(label: string): string {
  return (
    label
      .normalize('NFKD')
      // Accents fall away (`é` → `e`) rather than becoming separators.
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-_]+|[-_]+$/g, '')
  );
}

/**
 * `inc-<n>-<label>` (`inc-<n>-drill-<label>` for a drill); attempt 1 is the plain name, later attempts add `-2`,
 * `-3`… after a `name_taken`, cutting the label so the whole name still fits in 80 characters.
 */
export function roomName(
  incidentId: number,
  label: string,
  options: { drill?: boolean; attempt?: number } = {},
): string {
  const attempt = options.attempt ?? 1;
  const prefix = `inc-${incidentId}${options.drill ? '-drill' : ''}`;
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const slug = slugForRoom(label);
  const room = Math.max(0, MAX_ROOM_NAME - prefix.length - suffix.length - 1);
  const cut = slug.slice(0, room).replace(/[-_]+$/, '');
  return `${prefix}${cut ? `-${cut}` : ''}${suffix}`;
}
