// Aperio .svs with JPEG 2000 tiles against OpenSlide: RGB codestreams (33005) and YCbCr ones
// (33003), which OpenSlide turns into RGB after decoding and so must we.
import { describeAperioSvs } from '../../tests/slides/aperioCases';

describeAperioSvs('jp2k');
describeAperioSvs('jp2k-ycbcr');
