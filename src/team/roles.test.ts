import { describe, expect, it } from 'vitest';
import type { Annotator, TeamRole } from '../model/types';
import { can, roleOf } from './roles';

const person = (id: string, role?: string): Annotator => ({ id, projectId: 'prj_1', displayName: id, ...(role ? { role } : {}) });

describe('roleOf', () => {
  it('without any coordinator, everyone is the coordinator (one person, or several in one browser)', () => {
    const team = [person('dr-a', 'annotator'), person('dr-b', 'reviewer'), person('dr-c')];
    expect(roleOf(team, 'dr-a')).toBe('coordinator');
    expect(roleOf(team, 'dr-b')).toBe('coordinator');
    expect(roleOf(team, 'someone-else')).toBe('coordinator');
    expect(roleOf([], undefined)).toBe('coordinator');
  });

  it('with a coordinator named, people are what the project records; anyone else is an annotator', () => {
    const team = [person('boss', 'coordinator'), person('dr-r', 'reviewer'), person('dr-a', 'annotator'), person('old-file', 'rater')];
    expect(roleOf(team, 'boss')).toBe('coordinator');
    expect(roleOf(team, 'dr-r')).toBe('reviewer');
    expect(roleOf(team, 'dr-a')).toBe('annotator');
    expect(roleOf(team, 'stranger')).toBe('annotator');
    expect(roleOf(team, undefined)).toBe('annotator');
    // An older file's word that is no team role reads as "annotator".
    expect(roleOf(team, 'old-file')).toBe('annotator');
  });
});

describe('can', () => {
  // The team loop as described: the coordinator owns schema, team and gathering and returns nothing;
  // a reviewer adjudicates and returns; an annotator only labels and returns.
  const table: [TeamRole, Record<Parameters<typeof can>[1], boolean>][] = [
    ['coordinator', { 'edit-schema': true, 'manage-team': true, gather: true, review: true, return: false }],
    ['reviewer', { 'edit-schema': false, 'manage-team': false, gather: false, review: true, return: true }],
    ['annotator', { 'edit-schema': false, 'manage-team': false, gather: false, review: false, return: true }],
  ];
  it.each(table)('%s', (role, rights) => {
    for (const [action, allowed] of Object.entries(rights)) expect(can(role, action as Parameters<typeof can>[1]), `${role} ${action}`).toBe(allowed);
  });
});
