/**
 * Which file names the app's pickers and drop zones treat as slides: NDPI and MIRAX too, so their
 * users reach the refusal that names a conversion. Apart from the readers so the page's own bundle
 * does not carry them (they run in the slide worker).
 */
const SLIDE_EXTENSIONS = /\.(svs|tiff?|btf|tf8|dcm|ndpi|mrxs|vms|scn)$/i;

export function isSlideFileName(name: string): boolean {
  return SLIDE_EXTENSIONS.test(name);
}
