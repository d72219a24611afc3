import { TEAM_ROLES, type Annotator, type TeamRole } from '../model/types';

export function asTeamRole(role: string | undefined): TeamRole | null {
  return (TEAM_ROLES as readonly string[]).includes(role ?? '') ? (role as TeamRole) : null;
}

/**
 * The role of a person in a project. A project whose members include no coordinator is worked by one
 * person (or by several in one browser): everyone has every right, as before roles existed. Once a
 * coordinator is named, a person is what the project records, and someone it does not list is an
 * annotator (they can label, never change the schema).
 */
export function roleOf(annotators: Iterable<Annotator>, personId: string | undefined): TeamRole {
  let hasCoordinator = false;
  let mine: TeamRole | null = null;
  for (const a of annotators) {
    const r = asTeamRole(a.role);
    if (r === 'coordinator') hasCoordinator = true;
    if (personId && a.id === personId) mine = r;
  }
  if (!hasCoordinator) return 'coordinator';
  return mine ?? 'annotator';
}

/** What each role may do; the UI offers only these. */
export function can(role: TeamRole, action: 'edit-schema' | 'manage-team' | 'gather' | 'review' | 'return'): boolean {
  switch (action) {
    case 'edit-schema':
    case 'manage-team':
    case 'gather':
      return role === 'coordinator';
    case 'review':
      return role === 'coordinator' || role === 'reviewer';
    case 'return':
      return role !== 'coordinator';
  }
}
