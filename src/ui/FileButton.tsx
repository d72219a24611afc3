import type { ReactNode } from 'react';

/** A button that opens the file picker; the same file can be chosen twice in a row. */
export function FileButton({ children, accept, multiple, directory, disabled, onFiles }: { children: ReactNode; accept?: string; multiple?: boolean; directory?: boolean; disabled?: boolean; onFiles: (files: File[]) => void }) {
  return (
    <label className="file-button button">
      {children}
      <input
        type="file"
        accept={accept}
        multiple={multiple}
        disabled={disabled}
        // A folder picker (every file under it) in browsers without showDirectoryPicker.
        {...(directory ? { webkitdirectory: '' } : {})}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </label>
  );
}
