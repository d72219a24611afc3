import type { ImageRecord } from '../../model/types';
import { loadBlob } from '../../store/workspace';
import { syntheticTileSource } from '../../viewer/osdSyntheticSource';

/** What OpenSeadragon opens for an image; a local file becomes a blob: URL that stays in the browser. */
export async function tileSourceFor(image: ImageRecord): Promise<{ source: unknown; release: () => void }> {
  const none = () => {};
  switch (image.source.kind) {
    case 'synthetic':
      return { source: syntheticTileSource(image.source.seed), release: none };
    case 'dzi':
    case 'iiif':
      return { source: image.source.url, release: none };
    case 'image-url':
      return { source: { type: 'image', url: image.source.url, buildPyramid: false }, release: none };
    case 'file': {
      const blob = await loadBlob(image.source.blobId);
      if (!blob) throw new Error(`the image file "${image.source.fileName}" is not stored in this browser`);
      const url = URL.createObjectURL(blob.data);
      return { source: { type: 'image', url, buildPyramid: false }, release: () => URL.revokeObjectURL(url) };
    }
  }
}
