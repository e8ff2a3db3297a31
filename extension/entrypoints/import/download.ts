/** Saves bytes as a file from an extension page: a Blob URL on a temporary anchor, then revoked. */
export function download(name: string, bytes: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
