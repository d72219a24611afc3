/** Hands a file to the browser's download; nothing leaves the machine. */
export function downloadText(fileName: string, text: string, mime: string): void {
  downloadBlob(fileName, [text], mime);
}

/** The same for any content: text, bytes, or the chunks of an archive. */
export function downloadBlob(fileName: string, parts: BlobPart[], mime: string): void {
  const blob = new Blob(parts, { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 120) || 'project';
}
