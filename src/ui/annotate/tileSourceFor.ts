import type { ImageRecord } from '../../model/types';
import { loadBlob } from '../../store/workspace';
import { slideAccess } from '../../storage/slideFiles';
import { slideClient } from '../../viewer/slideClient';
import { slideTileSource } from '../../viewer/osdSlideSource';
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
    case 'slide': {
      // The page asks for access first (SlideGate); here the files are reachable or it is an error.
      const access = await slideAccess(image.source.fileKey);
      if (access.state !== 'ready') throw new Error(`the slide file "${image.source.fileNames[0]}" is not open in this browser`);
      const client = slideClient();
      const { slideId, info } = await client.open(access.files);
      return { source: slideTileSource(client, slideId, info), release: () => void client.close(slideId) };
    }
    case 'dicom-series': {
      // The slice itself is drawn by the radiology view under its window (AnnotateViewer's backdrop);
      // OpenSeadragon places and moves a black frame of the slice's size.
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, image.width, image.height);
      return { source: { type: 'image', url: canvas.toDataURL('image/png'), buildPyramid: false }, release: none };
    }
  }
}
