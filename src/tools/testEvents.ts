// Test helpers: terse events and a driver that feeds a sequence and gathers every effect.
import { imagePoint } from '../model/points';
import type { ToolEffect, ToolEvent, ToolStep } from './types';

type PointerType = 'pointerdown' | 'pointermove' | 'pointerup' | 'dblclick';
type PointerExtras = { shift?: boolean; alt?: boolean; tolerance?: number };

function pointer(type: PointerType) {
  return (x: number, y: number, extras: PointerExtras = {}): ToolEvent => ({ type, point: imagePoint(x, y), ...extras });
}

export const down = pointer('pointerdown');
export const move = pointer('pointermove');
export const up = pointer('pointerup');
export const dbl = pointer('dblclick');
export const key = (k: string): ToolEvent => ({ type: 'key', key: k });

export function run<S>(reduce: (s: S, e: ToolEvent) => ToolStep<S>, state: S, events: ToolEvent[]): { state: S; effects: ToolEffect[] } {
  const effects: ToolEffect[] = [];
  for (const e of events) {
    const step = reduce(state, e);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

export function ofType<T extends ToolEffect['type']>(effects: ToolEffect[], type: T): Extract<ToolEffect, { type: T }>[] {
  return effects.filter((e): e is Extract<ToolEffect, { type: T }> => e.type === type);
}
