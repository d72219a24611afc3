import { useState } from 'react';
import { impactIsHarmless, schemaChangeImpact, schemaProblems, type SchemaChangeImpact } from '../../model/schemaEdit';
import type { LabelSchema } from '../../model/types';
import { currentSchemaOf, editSchema } from '../../store/actions';
import { useDocStore } from '../../store/docStore';

export interface PendingEdit {
  schema: LabelSchema;
  impact: SchemaChangeImpact;
  fromVersion: number;
}

/**
 * Every schema edit passes here: invalid edits are refused with their problems, harmless ones are
 * applied at once, and ones that would orphan annotations wait for the user to confirm.
 */
export function useSchemaEditing() {
  const [pending, setPending] = useState<PendingEdit | null>(null);
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);

  const propose = (edited: LabelSchema) => {
    const doc = useDocStore.getState().doc;
    if (!doc) return;
    const found = schemaProblems(edited);
    setProblems(found);
    if (found.length) return;
    const current = currentSchemaOf(doc);
    const impact = schemaChangeImpact(current, edited, [...doc.annotations.values()]);
    if (impactIsHarmless(impact)) editSchema(edited);
    else setPending({ schema: edited, impact, fromVersion: current.version });
  };

  return {
    pending,
    problems,
    propose,
    confirm: () => {
      if (pending) editSchema(pending.schema, 'Edit schema (new version)');
      setPending(null);
    },
    cancel: () => setPending(null),
  };
}
