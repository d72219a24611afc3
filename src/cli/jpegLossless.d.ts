// The package's "types" entry names a file its release does not ship: the part of its API we call.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    xDim: number;
    yDim: number;
    numComp: number;
    precision: number | undefined;
    decode(buffer: ArrayBuffer, offset: number, length: number): Uint8Array | Uint16Array;
  }
}
