import { useEffect, useRef, useState } from 'react';
import { AssistCancelled, AssistClient } from '../../assist/client';
import type { SlideRef } from '../../assist/protocol';
import { dziLayout, iiifLayout } from '../../assist/tiledSource';
import { ringContainsPoint } from '../../model/hit';
import type { ImagePoint } from '../../model/points';
import type { ImageRecord, StainSetting } from '../../model/types';
import { notYetOutlined, suggestionId, useAssist } from '../../store/assistStore';
import { useSession } from '../../store/sessionStore';
import { loadBlob } from '../../store/workspace';
import { slideAccess } from '../../storage/slideFiles';
import type { ViewTransform } from '../../viewer/coords';

/** The slide level the annotator is looking at: the assistant works on the pixels they see. */
export function downsampleFor(t: ViewTransform): number {
  if (t.scale >= 1) return 1;
  return Math.min(4, 2 ** Math.floor(Math.log2(1 / t.scale)));
}

/** Image kinds the assistant reads pixels of; an image URL's pixels are out of reach (no CORS promise). */
const ASSISTED_KINDS = new Set<ImageRecord['source']['kind']>(['synthetic', 'dzi', 'iiif', 'file', 'slide']);

async function slideRefFor(image: ImageRecord): Promise<SlideRef | null> {
  const src = image.source;
  switch (src.kind) {
    case 'synthetic':
      return { kind: 'synthetic', seed: src.seed };
    case 'dzi':
    case 'iiif': {
      const text = await (await fetch(src.url)).text();
      return { kind: 'tiled', layout: src.kind === 'dzi' ? dziLayout(src.url, text) : iiifLayout(text) };
    }
    case 'file': {
      const row = await loadBlob(src.blobId);
      return row ? { kind: 'file', key: src.blobId, blob: row.data } : null;
    }
    case 'slide': {
      // Only files this browser can read now; the viewer asks the user for access when it cannot.
      const access = await slideAccess(src.fileKey);
      return access.state === 'ready' ? { kind: 'slide', key: src.fileKey, files: access.files } : null;
    }
    default:
      return null;
  }
}

export interface Assistant {
  available: boolean;
  wandAt(point: ImagePoint, t: ViewTransform): void;
  /** A click inside the current proposal accepts it; elsewhere it outlines anew. */
  wandClick(point: ImagePoint, t: ViewTransform): void;
  adjust(delta: number): void;
  acceptWand(): void;
  dropWand(): void;
  propose(rect: { x: number; y: number; w: number; h: number }, t: ViewTransform): void;
}

/**
 * The page side of the assistant: one worker per annotate view, created when the wand or the
 * region tool is first used, warmed so the first click is quick.
 */
export function useAssistant(image: ImageRecord, annotatorId: string, stain: StainSetting, text: { refused: (r: string) => string; unavailable: string; needsScale: string; found: (n: number) => string }): Assistant {
  const tool = useSession((s) => s.tool);
  const client = useRef<AssistClient | null>(null);
  const slide = useRef<SlideRef | null>(null);
  const inflight = useRef<AbortController | null>(null);
  const lastDs = useRef(1);
  const [available, setAvailable] = useState(ASSISTED_KINDS.has(image.source.kind));

  useEffect(() => {
    useAssist.getState().clear();
    return () => {
      inflight.current?.abort();
      client.current?.dispose();
      client.current = null;
      slide.current = null;
    };
  }, [image.id]);

  useEffect(() => {
    if ((tool !== 'wand' && tool !== 'propose') || client.current || !available) return;
    client.current = new AssistClient();
    void slideRefFor(image)
      .then((ref) => {
        slide.current = ref;
        if (!ref) setAvailable(false);
        // The throwaway outline only loads code and tiles; with no scale known yet, a 40× one serves.
        else void client.current?.warm(ref, { x: image.width / 2, y: image.height / 2 }, 1, image.mpp ?? 0.25);
      })
      .catch(() => setAvailable(false));
  }, [tool, image, available]);

  const say = (t: string, kind: 'info' | 'error' = 'error') => useSession.getState().say(t, kind);

  const outline = (click: ImagePoint, adjust: number, ds: number) => {
    const c = client.current;
    const ref = slide.current;
    if (!c || !ref) {
      say(text.unavailable);
      return;
    }
    if (!image.mpp) {
      say(text.needsScale);
      return;
    }
    inflight.current?.abort();
    const ctl = new AbortController();
    inflight.current = ctl;
    useAssist.getState().setWand({ imageId: image.id, click, adjust, geometry: useAssist.getState().wand?.geometry ?? null, pending: true });
    c.outline(ref, { x: click.x, y: click.y }, ds, { adjust, mpp: image.mpp, stain }, ctl.signal)
      .then((r) => {
        if ('refused' in r) {
          useAssist.getState().setWand(null);
          say(text.refused(r.refused));
        } else {
          useAssist.getState().setWand({ imageId: image.id, click, adjust, geometry: r.geometry, pending: false });
          useSession.getState().clearMessage();
        }
      })
      .catch((e) => {
        if (!(e instanceof AssistCancelled)) say((e as Error).message);
      });
  };

  const acceptWand = () => {
    const w = useAssist.getState().wand;
    const classId = useSession.getState().classId;
    if (!w?.geometry || !classId) return;
    const id = suggestionId();
    useAssist.setState({ suggestions: [...useAssist.getState().suggestions, { id, imageId: image.id, classId, geometry: w.geometry, selected: false }] });
    useAssist.getState().accept([id], annotatorId);
    useAssist.getState().setWand(null);
  };

  return {
    available,
    wandAt: (point, t) => {
      lastDs.current = downsampleFor(t);
      outline(point, 0, lastDs.current);
    },
    wandClick: (point, t) => {
      const w = useAssist.getState().wand;
      if (w?.geometry && !w.pending && ringContainsPoint(w.geometry.points, point.x, point.y)) acceptWand();
      else {
        lastDs.current = downsampleFor(t);
        outline(point, 0, lastDs.current);
      }
    },
    adjust: (delta) => {
      const w = useAssist.getState().wand;
      if (w) outline(w.click, w.adjust + delta, lastDs.current);
    },
    acceptWand,
    dropWand: () => {
      inflight.current?.abort();
      useAssist.getState().setWand(null);
    },
    propose: (rect, t) => {
      const c = client.current;
      const ref = slide.current;
      const classId = useSession.getState().classId;
      if (!c || !ref || !classId) {
        say(text.unavailable);
        return;
      }
      if (!image.mpp) {
        say(text.needsScale);
        return;
      }
      void c
        .propose(ref, rect, downsampleFor(t), { mpp: image.mpp, stain })
        .then((shapes) => {
          const others = useAssist.getState().suggestions;
          // Nuclei already outlined, or already waiting as a suggestion, are not proposed again.
          const fresh = notYetOutlined(image.id, [...others.filter((s) => s.imageId === image.id), ...shapes.map((geometry) => ({ id: suggestionId(), imageId: image.id, classId, geometry, selected: false }))]);
          const added = fresh.filter((s) => !others.includes(s));
          useAssist.getState().setSuggestions([...others, ...added]);
          say(text.found(added.length), 'info');
        })
        .catch((e) => {
          if (!(e instanceof AssistCancelled)) say((e as Error).message);
        });
    },
  };
}
