// The Emscripten factories of the cornerstone codecs ship without types.
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (module?: { locateFile?: (path: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<Record<string, new () => unknown>>;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (module?: { locateFile?: (path: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<Record<string, new () => unknown>>;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (module?: { locateFile?: (path: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<Record<string, new () => unknown>>;
  export default factory;
}
